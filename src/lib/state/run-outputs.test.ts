import { describe, expect, it } from 'vitest';
import type { EpochMetrics, TestMetrics } from '../../../workers/core/types.ts';
import { historyCsv, historyFields, testCsv, type TestWords } from './run-outputs.ts';

const row = (epoch: number, loss: number): EpochMetrics => ({
  epoch,
  trainLoss: loss,
  devLoss: loss * 1.1,
  trainAccuracy: 0.5 + epoch / 10,
  devAccuracy: Number.NaN,
  trainRmse: Number.NaN,
  devRmse: Number.NaN,
  examplesPerSecond: 1000,
  elapsedMs: epoch * 3,
});

const words: TestWords = {
  class: 'class',
  precision: 'precision',
  recall: 'recall',
  examples: 'examples',
  metric: 'metric',
  value: 'value',
  corner: 'actual \\ predicted',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  accuracy: 'accuracy',
};

describe('history CSV', () => {
  it('keeps every number exactly, empty cells for NaN, and only the task’s score columns', () => {
    expect(historyFields('binary')).not.toContain('trainRmse');
    expect(historyFields('regression')).not.toContain('trainAccuracy');
    const loss = 0.1 + 0.2; // 0.30000000000000004: the CSV must not round it
    const csv = historyCsv([row(1, loss), row(2, 1 / 3)], 'binary', (f) => f);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'epoch,trainLoss,devLoss,trainAccuracy,devAccuracy,examplesPerSecond,elapsedMs',
    );
    const cells = lines[1].split(',');
    expect(Number(cells[1])).toBe(loss);
    expect(cells[1]).toBe('0.30000000000000004');
    expect(cells[4]).toBe('');
    expect(Number(lines[2].split(',')[1])).toBe(1 / 3);
  });

  it('writes headers in the given words, made safe for spreadsheets', () => {
    const csv = historyCsv([], 'regression', (f) => (f === 'epoch' ? '=Epoche' : f));
    expect(csv.split('\r\n')[0].startsWith("'=Epoche,")).toBe(true);
  });
});

describe('test CSV', () => {
  it('writes per-class results and the confusion matrix, class labels made safe', () => {
    const test: TestMetrics = {
      task: 'binary',
      loss: 0.2,
      labels: ['=no', 'yes'],
      classification: {
        accuracy: 0.75,
        confusion: [
          [2, 1],
          [0, 1],
        ],
        precision: [1, 0.5],
        recall: [2 / 3, 1],
        support: [3, 1],
        m: 4,
      },
    };
    expect(testCsv(test, words).split('\r\n')).toEqual([
      'class,precision,recall,examples',
      "'=no,1,0.6666666666666666,3",
      'yes,0.5,1,1',
      'accuracy,0.75,,4',
      '',
      "actual \\ predicted,'=no,yes",
      "'=no,2,1",
      'yes,0,1',
      '',
    ]);
  });

  it('writes RMSE, MAE, R² and the examples for regression', () => {
    const test: TestMetrics = {
      task: 'regression',
      loss: 1,
      regression: { rmse: 2.5, mae: 2, r2: Number.NaN, m: 30 },
    };
    expect(testCsv(test, words)).toBe(
      'metric,value\r\nRMSE,2.5\r\nMAE,2\r\nR²,\r\nexamples,30\r\n',
    );
  });
});
