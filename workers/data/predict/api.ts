// The prediction half of the data worker's API (spread into `dataApi`): the form's columns, one row,
// a whole file with progress and Cancel. Bad input is an answer, never a thrown error.
import type { ModelRecord } from '../../store/schema.ts';
import { release } from '../proxy.ts';
import { msg } from '../../messages/index.ts';
import { predictFile, predictProblem, stopped } from './file.ts';
import { inputColumns, Predictor } from './model.ts';
import type {
  InputColumn,
  Prediction,
  PredictionBatch,
  PredictProgress,
  PredictResult,
} from './types.ts';

/** Each file prediction gets a number; a newer one (or cancelPrediction()) stops older ones. */
let generation = 0;
let cancelledGeneration = -1;

export const predictApi = {
  /** The raw columns the model's form asks for. */
  modelInputs(model: ModelRecord): InputColumn[] {
    return inputColumns(model);
  },

  /** Predicts one example given by its raw values (`cells[i]` is column `header[i]`; empty = missing). */
  predictRow(
    model: ModelRecord,
    header: string[],
    cells: string[],
  ): PredictResult<{ prediction: Prediction }> {
    try {
      const p = new Predictor(model);
      const bad = p.notNumbers([cells], header);
      if (bad.length)
        return predictProblem(
          'bad-value',
          msg('predicting.formNotNumber', { column: bad[0].column, value: bad[0].value }),
        );
      return { ok: true, prediction: p.predict([cells], header)[0] };
    } catch (e) {
      return stopped(e, 'bad-model');
    }
  },

  /** Reads a CSV file (streamed) and predicts every row; progress at most every 50 ms. */
  async predictFile(
    model: ModelRecord,
    file: Blob,
    name: string,
    onProgress?: (p: PredictProgress) => void,
  ): Promise<PredictResult<{ batch: PredictionBatch }>> {
    const mine = ++generation;
    try {
      return await predictFile(model, file, name, {
        onProgress,
        cancelled: () => mine !== generation || cancelledGeneration === mine,
      });
    } finally {
      release(onProgress);
    }
  },

  /** Stops the file being predicted; it answers with a 'cancelled' problem. */
  cancelPrediction(): void {
    cancelledGeneration = generation;
  },
};
