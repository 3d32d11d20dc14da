// What a run's end records: its final metrics, and the named model kept from its weights.
import type { PackedNetwork } from '../../../workers/core/packed.ts';
import type { RunRecord } from '../../../workers/store/schema.ts';
import type { NewModel } from '../../../workers/store/models.ts';
import type { RunSummary } from './run-recorder-types.ts';

/** The run's final metrics: the test set's, and the epoch early stopping kept. */
export function runFinal(summary: RunSummary): Record<string, number> {
  const final: Record<string, number> = {};
  const t = summary.test;
  if (t) {
    final.testLoss = t.loss;
    if (t.task === 'regression') {
      final.testRmse = t.regression.rmse;
      final.testR2 = t.regression.r2;
    } else final.testAccuracy = t.classification.accuracy;
  }
  // Early stopping kept an earlier epoch's weights: the record says which.
  if (summary.state === 'done' && summary.keptEpoch !== undefined)
    final.keptEpoch = summary.keptEpoch;
  return final;
}

/** A named model of a run's weights saved at `epoch` (the run's name; a run may continue later). */
export function modelOfRun(run: RunRecord, network: PackedNetwork, epoch: number): NewModel {
  return {
    name: run.name,
    network,
    recipe: run.recipe,
    task: run.task,
    targetName: run.targetName,
    featureNames: run.featureNames,
    classLabels: run.classLabels,
    targetScale: run.targetScale,
    metrics: { ...(run.final ?? {}), epoch },
    runId: run.id,
    datasetHash: run.datasetHash,
  };
}
