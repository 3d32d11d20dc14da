import { describe, expect, it } from 'vitest';
import { createNetwork, serialize } from '../../core/network.ts';
import type { NetworkSpec } from '../../core/types.ts';
import { csvCell } from '../../store/csv.ts';
import type { ModelRecord } from '../../store/schema.ts';
import { DEFAULT_RECIPE_SETTINGS, type Recipe } from '../types.ts';
import { predictApi } from './api.ts';
import { predictFile } from './file.ts';
import { SHOWN_ROWS } from './types.ts';
import { english } from '../../store/english.test-support.ts';

const recipe: Recipe = {
  version: 1,
  settings: { ...DEFAULT_RECIPE_SETTINGS, target: 'y' },
  target: 'y',
  task: 'multiclass',
  classLabels: ['a', 'b', 'c'],
  targetScale: null,
  decimalComma: false,
  columns: [
    { name: 'n', kind: 'numeric', impute: 1, mean: 1, std: 2 },
    {
      name: 'c',
      kind: 'categorical',
      categories: ['café', 'blue'],
      imputeCategory: 'café',
      missingColumn: false,
      otherColumn: false,
    },
  ],
  droppedColumns: [],
  featureNames: ['n', 'c=café', 'c=blue'],
};

const softmax: NetworkSpec = {
  inputs: 3,
  hidden: [{ units: 4, activation: 'tanh', keepProb: 1 }],
  outputs: 3,
  output: 'softmax',
};

const model: ModelRecord = {
  id: 'm',
  name: 'm',
  created: 0,
  network: serialize(createNetwork(softmax, { init: 'xavier', seed: 5 })),
  recipe,
  task: 'multiclass',
  targetName: 'y',
  featureNames: recipe.featureNames,
  classLabels: ['a', 'b', 'c'],
  targetScale: null,
  metrics: {},
  runId: null,
  datasetHash: null,
};

const plain: ModelRecord = {
  ...model,
  network: serialize(createNetwork({ inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' })),
  recipe: null,
  task: 'binary',
  featureNames: ['x1', 'x2'],
  classLabels: ['no', 'yes'],
};

/** What the form predicts for one row: the reference the file's rows must equal. */
function single(m: ModelRecord, header: string[], cells: string[]) {
  const r = predictApi.predictRow(m, header, cells);
  if (!r.ok) throw new Error(r.problem.message);
  return r.prediction;
}

async function run(m: ModelRecord, text: string | BlobPart[], options = {}) {
  const blob = new Blob(typeof text === 'string' ? [text] : text);
  return predictFile(m, blob, 'rows.csv', {}, options);
}

describe('predicting a file', () => {
  it('streams many rows in small chunks; every row and its CSV line equal the one-row prediction', async () => {
    const lines = ['id,n,c,note'];
    const rows: string[][] = [];
    for (let i = 0; i < 5000; i++) {
      const r = [String(i), ((i % 37) / 5 - 3).toFixed(2), ['café', 'blue', ''][i % 3], `=n${i}`];
      rows.push(r);
      lines.push(r.join(','));
    }
    const res = await run(model, lines.join('\n'), { chunkBytes: 4096 });
    if (!res.ok) throw new Error(res.problem.message);
    const { batch } = res;
    expect(batch.rows).toBe(5000);
    expect(batch.header).toEqual(['id', 'n', 'c', 'note']);
    expect(batch.predictionHeader).toEqual([
      'predicted y',
      'probability a',
      'probability b',
      'probability c',
    ]);
    expect(batch.shown).toHaveLength(SHOWN_ROWS);
    const csv = (await batch.csv.text()).split('\r\n');
    expect(csv).toHaveLength(5002); // header, rows, and the empty string after the last CRLF
    expect(csv[0]).toBe('id,n,c,note,predicted y,probability a,probability b,probability c');
    for (const i of [0, 1, 2, 49, 2047, 2048, 4999]) {
      const p = single(model, batch.header, rows[i]);
      const want = [
        ...rows[i],
        p.label,
        ...p.probabilities.map((q) => Math.round(q * 1e6) / 1e6),
      ].map(csvCell);
      expect(csv[i + 1]).toBe(want.join(','));
      expect(csv[i + 1]).toContain(`'=n${i}`); // formula-like text escaped
      if (i < SHOWN_ROWS) {
        expect(batch.shown[i].cells).toEqual(rows[i]);
        expect(batch.shown[i].prediction).toEqual(p);
      }
    }
  });

  it('reads a semicolon file with decimal commas, and Windows-1252 text', async () => {
    // "café" in Windows-1252: é is the single byte 0xE9 (not valid UTF-8).
    const head = new TextEncoder().encode('n;c\n3,5;caf');
    const tail = new TextEncoder().encode('\n-1,25;blue\n');
    const res = await run(model, [head, new Uint8Array([0xe9]), tail]);
    if (!res.ok) throw new Error(res.problem.message);
    expect(res.batch.shown.map((r) => r.cells)).toEqual([
      ['3,5', 'café'],
      ['-1,25', 'blue'],
    ]);
    expect(res.batch.shown[0].prediction).toEqual(single(model, ['n', 'c'], ['3.5', 'café']));
    expect(res.batch.shown[1].prediction).toEqual(single(model, ['n', 'c'], ['-1.25', 'blue']));
    expect(res.batch.notices.map(english).join(' ')).toContain('Windows-1252');
  });

  it('names ragged rows, missing columns and cells that are not numbers', async () => {
    const ragged = await run(model, 'n,c\n1,blue\n2,blue,extra\n3,blue\n');
    expect(ragged.ok).toBe(false);
    if (ragged.ok) return;
    expect(ragged.problem.code).toBe('ragged-rows');
    expect(ragged.problem.rows).toEqual([3]);
    expect(english(ragged.problem.msg)).toBe(
      'Row 3 of "rows.csv" does not have 2 cells like the header. Fix that row and try again.',
    );

    const none = await run(model, 'a,b\n1,2\n');
    expect(none.ok || english(none.problem.msg)).toBe(
      '"rows.csv" has none of the columns this model needs (n, c). Check the header row.',
    );

    const partial = await run(model, 'n,other\n1.5,x\nabc,y\n7,z\n');
    if (!partial.ok) throw new Error(partial.problem.message);
    expect(partial.batch.notices.map(english)).toEqual([
      'Columns missing from "rows.csv" were treated as empty (filled in as in training): c.',
      '1 cell is not a number and was filled in as in training (row, column, value: 3, "n" ("abc")). Correct it in the file if that is wrong.',
    ]);
    // Filled in as in training: the same as an empty cell.
    expect(partial.batch.shown[1].prediction).toEqual(single(model, ['n'], ['']));

    const strict = await run(plain, 'x1,x2\n1,2\n3,oops\n');
    expect(
      strict.ok || { ...strict.problem, message: english(strict.problem.msg), msg: 0 },
    ).toEqual({
      msg: 0,
      code: 'bad-value',
      message: 'Row 3, column "x2": "oops" is not a number. Enter a number there.',
      rows: [3],
    });
    const short = await run(plain, 'x1,note\n1,2\n');
    expect(short.ok || english(short.problem.msg)).toBe(
      '"rows.csv" has no column "x2", which this model needs. Add it with a number on every row and try again.',
    );
  });

  it('refuses an empty table and a file over the limit before reading it', async () => {
    const empty = await run(model, 'n,c\n');
    expect(empty.ok || english(empty.problem.msg)).toBe(
      '"rows.csv" has no data rows under its header. Give a table whose first row names the columns.',
    );
    const huge = { size: 300 * 1048576 } as Blob;
    const big = await predictFile(model, huge, 'huge.csv');
    expect(big.ok || big.problem.code).toBe('too-large');
    expect(big.ok || english(big.problem.msg)).toContain('"huge.csv" is 300 MB');
  });

  it('reports progress and stops on cancelPrediction()', async () => {
    const lines = ['n,c,note'];
    for (let i = 0; i < 20000; i++) lines.push(`${i % 10},blue,${'note'.repeat(15)}${i}`);
    const file = new Blob([lines.join('\n')]);
    const seen: number[] = [];
    const done = await predictApi.predictFile(model, file, 'big.csv', (p) =>
      seen.push(p.bytesRead),
    );
    if (!done.ok) throw new Error(done.problem.message);
    expect(done.batch.rows).toBe(20000);
    expect(seen.at(-1)).toBe(file.size);
    // More than 1 MiB of CSV (written in several pieces): every line in its place.
    const csv = (await done.batch.csv.text()).split('\r\n');
    expect(csv.join('').length).toBeGreaterThan(1 << 20);
    expect(csv).toHaveLength(20002);
    for (const i of [0, 9999, 19999])
      expect(csv[i + 1].startsWith(`${i % 10},blue,${'note'.repeat(15)}${i},`)).toBe(true);

    let calls = 0;
    const stopped = await predictFile(
      model,
      file,
      'big.csv',
      {
        onProgress: () => calls++,
        cancelled: () => calls > 0,
      },
      { chunkBytes: 8192 },
    );
    expect(stopped.ok || stopped.problem.code).toBe('cancelled');
    expect(stopped.ok || english(stopped.problem.msg)).toBe(
      'The prediction was cancelled. Choose the file again when you are ready.',
    );
  });
});

describe('predicting one row', () => {
  it('says which field is not a number, and fills in an empty one as in training', () => {
    const bad = predictApi.predictRow(model, ['n', 'c'], ['ten', 'blue']);
    expect(bad.ok || english(bad.problem.msg)).toBe(
      'Column "n": "ten" is not a number. Enter a number there, or leave it empty to have it filled in as in training.',
    );
    const empty = predictApi.predictRow(model, ['n', 'c'], ['', 'blue']);
    const imputed = predictApi.predictRow(model, ['n', 'c'], ['1', 'blue']); // impute = 1
    expect(empty.ok && imputed.ok).toBe(true);
    if (empty.ok && imputed.ok) expect(empty.prediction).toEqual(imputed.prediction);
    expect(predictApi.modelInputs(model)).toEqual([
      { name: 'n', kind: 'numeric', choices: [] },
      { name: 'c', kind: 'categorical', choices: ['café', 'blue'] },
    ]);
    // Without names that fit the network, a model's inputs are x1, x2, ...
    const unnamed = { ...plain, featureNames: [] };
    expect(predictApi.modelInputs(unnamed).map((c) => c.name)).toEqual(['x1', 'x2']);
    const byPosition = predictApi.predictRow(unnamed, ['x1', 'x2'], ['2', '0']);
    const byName = predictApi.predictRow(plain, ['x1', 'x2'], ['2', '0']);
    expect(byPosition.ok && byName.ok).toBe(true);
    if (byPosition.ok && byName.ok) expect(byPosition.prediction).toEqual(byName.prediction);
    const plainBad = predictApi.predictRow(plain, ['x1', 'x2'], ['abc', '1']);
    expect(plainBad.ok || english(plainBad.problem.msg)).toContain(
      'column "x1": "abc" is not a number',
    );
  });
});
