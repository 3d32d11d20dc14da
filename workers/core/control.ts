// Reading the shared history block: the layout (CTRL, LIVE, STATES, EPOCH_FIELDS) is plain data in
// types.ts, shared with the page's reader.
import { EPOCH_FIELDS, STATES, type EpochMetrics, type TrainingState } from './types.ts';

export const stateCode = (s: TrainingState): number => STATES.indexOf(s);

/** History row `row` as a plain object, field by field in EPOCH_FIELDS order. */
export function readHistoryRow(history: Float64Array, row: number): EpochMetrics {
  const o = row * EPOCH_FIELDS.length;
  const out = {} as EpochMetrics;
  EPOCH_FIELDS.forEach((k, i) => (out[k] = history[o + i]));
  return out;
}

/** History rows [from, to) as plain objects. */
export function readHistoryRows(history: Float64Array, from: number, to: number): EpochMetrics[] {
  const rows: EpochMetrics[] = [];
  for (let r = from; r < to; r++) rows.push(readHistoryRow(history, r));
  return rows;
}
