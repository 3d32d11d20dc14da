// What a run keeps besides its weights: the training settings (within the network editor's limits),
// the history, final metrics, the divergence doctor's finding and the timings.
import * as v from 'valibot';
import { CONFIG_RANGES, EPOCH_FIELDS, INITS, OPTIMIZERS } from '../../core/types.ts';
import { LIMITS } from '../limits.ts';
import { atLeast, count, inRange, metric, says, text } from './base.ts';
import { HiddenLayersSchema } from './network.ts';

export const TrainConfigSchema = v.object({
  hidden: HiddenLayersSchema,
  init: v.picklist(INITS),
  optimizer: v.picklist(OPTIMIZERS),
  learningRate: inRange(CONFIG_RANGES.learningRate),
  batchSize: inRange(CONFIG_RANGES.batchSize),
  epochs: inRange(CONFIG_RANGES.epochs),
  lambda: inRange(CONFIG_RANGES.lambda),
  seed: inRange(CONFIG_RANGES.seed),
  beta1: inRange(CONFIG_RANGES.beta1),
  beta2: inRange(CONFIG_RANGES.beta2),
});

type Row = { [K in (typeof EPOCH_FIELDS)[number]]: typeof metric };
const rowEntries = Object.fromEntries(
  EPOCH_FIELDS.map((f) => [f, f === 'epoch' ? count(0) : metric]),
) as unknown as Omit<Row, 'epoch'> & { epoch: ReturnType<typeof count> };

export const EpochMetricsSchema = v.object(rowEntries);

export const HistorySchema = v.pipe(v.array(EpochMetricsSchema), v.maxLength(LIMITS.historyRows));

/** Final metrics by name: numbers, or null where they do not apply (read back as NaN). */
export const MetricsSchema = v.pipe(
  v.record(text(LIMITS.name), metric),
  v.check(
    (m) => Object.keys(m).length <= LIMITS.metrics,
    (issue) =>
      says('store.file.listTooLong', {
        length: Object.keys(issue.input as object).length,
        max: LIMITS.metrics,
      }),
  ),
);

export const TargetScaleSchema = v.object({
  mean: v.pipe(v.number(), v.finite()),
  std: v.pipe(v.number(), v.finite(), v.gtValue(0)),
});

export const DivergenceSchema = v.object({
  epoch: count(0),
  step: count(0),
  cause: text(LIMITS.sentence),
  fix: v.object({
    label: text(LIMITS.sentence),
    learningRate: v.optional(inRange(CONFIG_RANGES.learningRate)),
    lambda: v.optional(atLeast(0)),
  }),
});

export const TimingsSchema = v.object({
  startedAt: atLeast(0),
  endedAt: v.nullable(atLeast(0)),
  elapsedMs: atLeast(0),
});
