// The example the maths panels use until the user's data is prepared (EXAMPLE_DATA in types.ts): the
// data pipeline's seeded circle set, two features, two classes (inside the disk = 1).
import { generate } from '../data/synthetic.ts';
import { EXAMPLE_DATA, type LabData, type LabSplit } from './types.ts';

/** One split of the circle set as X (2 x m) and Y (1 x m). */
function circleSplit(m: number, seed: number): LabSplit {
  const p = generate(EXAMPLE_DATA.synthetic, { n: m, seed, noise: EXAMPLE_DATA.noise });
  const x = new Float32Array(2 * m);
  const y = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    x[i] = p.x1[i];
    x[m + i] = p.x2[i];
    y[i] = p.label[i];
  }
  return { m, x, y };
}

/** The example's training and dev splits. */
export function exampleData(): LabData {
  const { train, dev } = EXAMPLE_DATA.splits;
  return {
    task: EXAMPLE_DATA.task,
    train: circleSplit(train.m, train.seed),
    dev: circleSplit(dev.m, dev.seed),
  };
}
