// What a training session checks of a prepared dataset before it takes it: at least one feature and
// one training example, and splits whose X and Y have the shapes the names promise.
import type { PreparedDataset } from '../data/prepared.ts';
import type { DatasetInfo } from './types.ts';
import { MessageError, msg } from '../messages/index.ts';

/** The dataset's shape, or an Error saying what is wrong with it. */
export function datasetInfo(ds: PreparedDataset): DatasetInfo {
  const nx = ds.featureNames.length;
  if (nx < 1) throw new MessageError(msg('trainer.noFeatures'));
  if (ds.train.m < 1) throw new MessageError(msg('trainer.emptyTrain'));
  const ny = ds.train.y.length / ds.train.m;
  if (!Number.isInteger(ny) || ny < 1)
    throw new Error(
      `The training targets have ${ds.train.y.length} values for ${ds.train.m} examples: not a whole number of rows.`,
    );
  for (const s of ['train', 'dev', 'test'] as const) {
    const sp = ds[s];
    if (sp.x.length !== nx * sp.m)
      throw new Error(
        `The ${s} split's X should be ${nx} x ${sp.m} (features x examples) but has ${sp.x.length} values.`,
      );
    if (sp.y.length !== ny * sp.m)
      throw new Error(
        `The ${s} split's Y should be ${ny} x ${sp.m} but has ${sp.y.length} values.`,
      );
  }
  return {
    task: ds.task,
    inputs: nx,
    outputs: ny,
    m: { train: ds.train.m, dev: ds.dev.m, test: ds.test.m },
    featureNames: [...ds.featureNames],
    classLabels: [...ds.classLabels],
  };
}
