// What a run keeps besides its weights: the training settings (within the network editor's limits),
// the history, final metrics, the divergence doctor's finding and the timings.
import * as v from 'valibot';
import {
  CONFIG_RANGES,
  DIVERGENCE_KINDS,
  EPOCH_FIELDS,
  INITS,
  OPTIMIZERS,
} from '../../core/types.ts';
import type { Msg } from '../../messages/index.ts';
import { LIMITS } from '../limits.ts';
import { atLeast, count, filled, finite, inRange, kindOf, metric, says, text } from './base.ts';
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
  // Settings saved before early stopping existed have no patience: they train without it, as they did.
  patience: v.optional(inRange(CONFIG_RANGES.patience)),
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

/** Parameters a worker's message may carry. */
const MSG_PARAMS = 20;

/** A worker's message: a catalogue key and its text or number parameters. The plain sentence of an
 * older file is kept as it is (shown as written). */
const MessageSchema = v.pipe(
  v.unknown(),
  v.transform((x) => (typeof x === 'string' ? { key: 'trainer.text', params: { text: x } } : x)),
  v.object({
    key: filled(100),
    params: v.optional(
      v.pipe(
        v.record(filled(40), v.union([text(LIMITS.sentence), finite])),
        v.check(
          (p) => Object.keys(p).length <= MSG_PARAMS,
          (issue) =>
            says('store.file.listTooLong', {
              length: Object.keys(issue.input as object).length,
              max: MSG_PARAMS,
            }),
        ),
      ),
    ),
  }),
  v.transform((m) => m as Msg),
);

/** The last loss of a diverged run: any number (NaN and infinities as stored), null in JSON (NaN). */
const lastLoss = v.pipe(
  v.custom<number | null>(
    (x) => x === null || typeof x === 'number',
    (issue) => says('store.file.type', { expected: 'number', received: kindOf(issue.input) }),
  ),
  v.transform((x): number => (x === null ? NaN : x)),
);

/** The doctor's finding. Files written before finite blow-ups were caught hold only NaN/infinity
 * divergences (kind 'nan'), without the loss, and rolled back to the epoch before. */
export const DivergenceSchema = v.pipe(
  v.object({
    epoch: count(0),
    step: count(0),
    kind: v.optional(v.picklist(DIVERGENCE_KINDS), 'nan'),
    loss: v.optional(lastLoss, null),
    restoredEpoch: v.optional(count(0)),
    cause: MessageSchema,
    fix: v.object({
      label: MessageSchema,
      learningRate: v.optional(inRange(CONFIG_RANGES.learningRate)),
      lambda: v.optional(atLeast(0)),
    }),
  }),
  v.transform(({ restoredEpoch, ...d }) => ({
    ...d,
    restoredEpoch: restoredEpoch ?? Math.max(0, d.epoch - 1),
  })),
);

export const TimingsSchema = v.object({
  startedAt: atLeast(0),
  endedAt: v.nullable(atLeast(0)),
  elapsedMs: atLeast(0),
});
