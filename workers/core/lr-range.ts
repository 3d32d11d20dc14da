// The learning-rate range test (L. N. Smith, "Cyclical Learning Rates for Training Neural Networks",
// 2017): mini-batches at a learning rate that grows geometrically from LR_RANGE.min to LR_RANGE.max,
// on a trainer of its own (a copy of the weights, a seeded sample of the training split), while an
// exponential moving average of the batch loss is recorded. The loss falls, flattens, then climbs;
// the test stops once it climbs past LR_RANGE.stopFactor x its minimum (or stops being a number), and
// suggests the rate where the loss fell fastest (Smith's choice): fast, and well before the rates that
// blow up. One step() per mini-batch, so a caller can yield between slices.
import { BATCH, PlannedTrainer, type PlannedTrainerInput, type SplitData } from './train.ts';
import { nice } from './diverge.ts';
import { createRng } from './rng.ts';
import { LIVE, LR_RANGE, type LrRangePoint, type LrRangeResult } from './types.ts';

export type LrRangeOptions = { [K in Exclude<keyof typeof LR_RANGE, 'maxExamples'>]?: number };

export class LrRangeTest {
  readonly points: LrRangePoint[] = [];
  private readonly t: PlannedTrainer;
  private readonly o: Required<LrRangeOptions>;
  private i = 0;
  private avg = 0;
  private minLoss = Infinity;
  private minLr: number | null = null;
  private over = false;

  /** `trainer` must be one of the test's own: its weights and learning rate are the test's to change. */
  constructor(trainer: PlannedTrainer, opts: LrRangeOptions = {}) {
    this.t = trainer;
    this.o = { ...LR_RANGE, ...opts };
    if (!(this.o.min > 0 && this.o.max > this.o.min && this.o.steps >= 2))
      throw new Error('The range test needs 0 < min < max and at least 2 steps.');
  }

  get done(): boolean {
    return this.over;
  }

  /** The learning rate of step i. */
  rateAt(i: number): number {
    const { min, max, steps } = this.o;
    return min * Math.pow(max / min, i / (steps - 1));
  }

  /** One mini-batch at the next rate; false once the test is over. */
  step(): boolean {
    if (this.over) return false;
    const t = this.t,
      o = this.o;
    const lr = this.rateAt(this.i);
    t.setLearningRate(lr);
    const r = t.trainBatch();
    const loss = t.live[LIVE.BATCH_LOSS];
    if (r === BATCH.DIVERGED || !Number.isFinite(loss)) return this.end();
    // Debiased moving average: avg / (1 - beta^(i+1)).
    this.avg = o.smoothing * this.avg + (1 - o.smoothing) * loss;
    const smooth = this.avg / (1 - Math.pow(o.smoothing, this.i + 1));
    this.points.push({ lr, loss: smooth });
    if (smooth < this.minLoss) {
      this.minLoss = smooth;
      this.minLr = lr;
    }
    this.i++;
    if (smooth > o.stopFactor * this.minLoss || this.i >= o.steps || r === BATCH.DONE)
      return this.end();
    return true;
  }

  /** Runs the test to its end. */
  run(): LrRangeResult {
    while (this.step());
    return this.result();
  }

  private end(): false {
    this.over = true;
    return false;
  }

  /** The curve and the suggested rate: the valley of the smoothed loss (fastai's rule: the longest
   *  run of points each lower than an earlier one, i.e. the longest decreasing subsequence, and the
   *  rate half-way through its middle third), robust to the noise of single batches; null when the
   *  loss never fell clearly below where it started. */
  result(): LrRangeResult {
    const p = this.points;
    const n = p.length;
    // run[i]: length of the longest decreasing subsequence ending at point i.
    const run = new Array<number>(n).fill(1);
    let end = 0;
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < i; j++)
        if (p[i].loss < p[j].loss && run[i] < run[j] + 1) run[i] = run[j] + 1;
      if (run[i] > run[end]) end = i;
    }
    const start = end - run[end];
    const third = (end - start) / 3;
    const at = Math.max(0, start + Math.floor(third) + Math.floor(third / 2));
    // It went down: the minimum is clearly (LR_RANGE.minDrop) below the first points' mean.
    const head = p.slice(0, 5).reduce((a, q) => a + q.loss, 0) / Math.min(5, n);
    const fell = n > 1 && this.minLoss < (1 - this.o.minDrop) * head;
    return {
      optimizer: this.t.config.optimizer,
      points: p.map((q) => ({ ...q })),
      suggested: fell ? nice(p[at].lr) : null,
      minLr: this.minLr,
      minLoss: Number.isFinite(this.minLoss) ? this.minLoss : null,
      steps: this.i,
    };
  }
}

/** At most `k` examples of a split (X is n_x x m, Y n_y x m), drawn without replacement by a seeded
 *  generator and kept in their order (the split itself when it is small enough). */
export function sampleSplit(s: SplitData, k: number, seed: number): SplitData {
  if (s.m <= k) return s;
  const idx = Array.from({ length: s.m }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(s.m - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const pick = idx.slice(0, k).sort((a, b) => a - b);
  const nx = s.x.length / s.m,
    ny = s.y.length / s.m;
  const x = new Float32Array(nx * k),
    y = new Float32Array(ny * k);
  for (let c = 0; c < k; c++) {
    for (let f = 0; f < nx; f++) x[f * k + c] = s.x[f * s.m + pick[c]];
    for (let r = 0; r < ny; r++) y[r * k + c] = s.y[r * s.m + pick[c]];
  }
  return { m: k, x, y };
}

/** What a range test trains: the run's network, settings and training split, from given parameters
 *  (a copy of a run's) or from the settings' initialization and seed (as a fresh run starts). */
export interface LrRangeInput extends Omit<PlannedTrainerInput, 'data' | 'startEpoch' | 'resume'> {
  train: SplitData;
}

/** The range test's own trainer: a seeded sample of the training split (at most LR_RANGE.maxExamples
 *  examples), epochs enough for the test's steps, no early stopping, no divergence watch. */
export function rangeTestTrainer(input: LrRangeInput, opts: LrRangeOptions = {}): PlannedTrainer {
  const { train, ...rest } = input;
  const steps = opts.steps ?? LR_RANGE.steps;
  const sample = sampleSplit(train, LR_RANGE.maxExamples, input.config.seed);
  const c = input.config;
  const perEpoch = c.optimizer === 'gd' ? 1 : Math.ceil(sample.m / Math.min(c.batchSize, sample.m));
  return new PlannedTrainer({
    ...rest,
    config: {
      ...c,
      hidden: c.hidden.map((h) => ({ ...h })),
      epochs: Math.ceil(steps / perEpoch) + 1,
      patience: 0,
    },
    data: { train: sample },
    watch: false,
  });
}
