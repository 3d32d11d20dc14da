// Plain data of prediction with a saved model (the data worker computes, the page shows): what the
// form asks for, one prediction, a predicted file, and the problems. Everything goes through Comlink.
import type { Msg } from '../../messages/index.ts';
import type { DataProblem, ParseProgress } from '../types.ts';

/** Rows of a predicted file the page shows (the download has them all). */
export const SHOWN_ROWS = 50;
/** A file to predict larger than this is refused before reading. */
export const PREDICT_FILE_LIMIT_BYTES = 200 * 1024 * 1024;

/** One raw column the model's form asks for (the recipe's columns, or the model's feature names). */
export interface InputColumn {
  name: string;
  kind: 'numeric' | 'categorical' | 'boolean';
  /** Values offered in a select (categories, the two values of a yes/no column); empty for numbers. */
  choices: string[];
}

export interface Prediction {
  /** The predicted class label, or the predicted number (regression) as text. */
  label: string;
  /** Regression: the predicted value in the target's units; null for a classification. */
  value: number | null;
  /** Classification: probability of each class, in the order of the prediction header. */
  probabilities: number[];
  /** Classification: the probability of the predicted label; null for a regression. */
  confidence: number | null;
}

/** A row of a predicted file: its cells as written, and its prediction. */
export interface PredictedRow {
  cells: string[];
  prediction: Prediction;
}

/** A predicted file: the first rows to show and the whole result as CSV (input columns, then predictions). */
export interface PredictionBatch {
  /** Rows predicted. */
  rows: number;
  /** The file's columns (as read: trimmed, empty names filled in, duplicates renamed). */
  header: string[];
  /** The columns the prediction adds: "predicted <target>", then one probability per class. */
  predictionHeader: string[];
  /** The first SHOWN_ROWS rows. */
  shown: PredictedRow[];
  /** The download: formula-like text escaped, numbers kept. */
  csv: Blob;
  /** Things to know that did not stop the prediction (missing columns, cells that are not numbers). */
  notices: Msg[];
}

export type PredictProgress = ParseProgress;

/** A problem with the model or the rows, in words a student understands; `rows` are spreadsheet rows. */
export interface PredictProblem {
  code: DataProblem['code'] | 'too-large' | 'no-columns' | 'bad-model' | 'bad-value';
  /** The message's key, for logs and tests. */
  message: string;
  /** What the page shows, in the user's language. */
  msg: Msg;
  rows?: number[];
}

export type PredictResult<T> = ({ ok: true } & T) | { ok: false; problem: PredictProblem };
