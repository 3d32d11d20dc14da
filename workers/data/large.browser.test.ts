// A generated CSV of more than 100 MB read by the real data worker in headless Chromium: progress
// arrives as the file streams, and the memory the worker holds is its typed columns, not the text.
// Memory is measured with performance.measureUserAgentSpecificMemory() (cross-origin isolated pages
// only; Chromium answers after its next garbage collection, about 10 s here), which attributes bytes
// to the dedicated worker.
import * as Comlink from 'comlink';
import { expect, it } from 'vitest';
import type { DataApi } from '../data.worker.ts';
import { DEFAULT_RECIPE_SETTINGS, type ParseProgress } from './types.ts';

const NUMERIC = 8;
const MB = 1024 * 1024;

/** About `bytes` of CSV: 8 number columns and one category column, built as many small Blob parts. */
function bigCsv(bytes: number): { blob: Blob; rows: number } {
  const parts: string[] = ['a,b,c,d,e,f,g,h,group\n'];
  let size = parts[0].length;
  let rows = 0;
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  while (size < bytes) {
    let chunk = '';
    for (let r = 0; r < 5000; r++) {
      let line = '';
      for (let c = 0; c < NUMERIC; c++) line += (next() * 2000 - 1000).toFixed(3) + ',';
      line += 'group' + (rows % 7) + '\n';
      chunk += line;
      rows++;
    }
    parts.push(chunk);
    size += chunk.length;
  }
  return { blob: new Blob(parts, { type: 'text/csv' }), rows };
}

interface MemoryBreakdown {
  bytes: number;
  breakdown: Array<{ bytes: number; attribution: Array<{ scope?: string; url?: string }> }>;
}

/** Bytes Chromium attributes to the data worker, or null when the browser cannot tell within 30 s. */
async function workerMemory(): Promise<number | null> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<MemoryBreakdown>;
  };
  if (!crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return null;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000));
  const measured = perf
    .measureUserAgentSpecificMemory()
    .then((m) =>
      m.breakdown
        .filter((b) =>
          b.attribution.some(
            (a) =>
              a.scope === 'DedicatedWorkerGlobalScope' && (a.url ?? '').includes('data.worker'),
          ),
        )
        .reduce((sum, b) => sum + b.bytes, 0),
    );
  return Promise.race([measured, timeout]);
}

it('reads a 100+ MB CSV in the data worker with progress and bounded memory', async () => {
  const worker = new Worker(new URL('../data.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<DataApi>(worker);
  try {
    const { blob, rows } = bigCsv(101 * MB);
    expect(blob.size).toBeGreaterThanOrEqual(100 * MB);
    const progress: ParseProgress[] = [];
    const t0 = performance.now();
    const res = await api.loadFile(
      blob,
      'big.csv',
      {},
      Comlink.proxy((p: ParseProgress) => void progress.push(p)),
    );
    const seconds = (performance.now() - t0) / 1000;
    if (!res.ok) throw new Error(res.problem.message);
    expect(res.report.rows).toBe(rows);
    expect(res.report.columns.map((c) => c.inferredType)).toEqual([
      ...Array(NUMERIC).fill('numeric'),
      'categorical',
    ]);
    expect(res.report.columns[8].unique).toBe(7);

    // Progress: many events, never going back, ending at the whole file.
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].bytesRead).toBeGreaterThanOrEqual(progress[i - 1].bytesRead);
    expect(progress[progress.length - 1].bytesRead).toBe(blob.size);

    // The columns are typed arrays: 8 bytes per number, 2 per category code (plus at most 5% spare capacity).
    const mem = await api.memory();
    const numericContent = rows * NUMERIC * 8;
    expect(mem.storedBytes).toBeGreaterThanOrEqual(numericContent);
    expect(mem.storedBytes).toBeLessThan(1.1 * (numericContent + rows * 2));
    // What the worker really holds: its columns and little more (no copy of the text, no strings per cell).
    const workerBytes = await workerMemory();
    console.log(
      JSON.stringify({
        fileMB: +(blob.size / MB).toFixed(1),
        rows,
        parseSeconds: +seconds.toFixed(1),
        progressEvents: progress.length,
        storedMB: +(mem.storedBytes / MB).toFixed(1),
        numericContentMB: +(numericContent / MB).toFixed(1),
        workerMemoryMB: workerBytes === null ? null : +(workerBytes / MB).toFixed(1),
      }),
    );
    if (workerBytes !== null) expect(workerBytes).toBeLessThan(mem.storedBytes + 48 * MB);

    // Preparing it: 8 standardized inputs, the 7 groups as classes, in shared memory.
    const t1 = performance.now();
    const prepared = await api.prepare({
      ...structuredClone(DEFAULT_RECIPE_SETTINGS),
      target: 'group',
    });
    if (!prepared.ok) throw new Error(prepared.problem.message);
    console.log(
      JSON.stringify({
        prepareSeconds: +((performance.now() - t1) / 1000).toFixed(1),
        train: prepared.summary.train,
      }),
    );
    expect(prepared.dataset.train.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(prepared.dataset.train.x.length).toBe(NUMERIC * prepared.dataset.train.m);
    expect(prepared.summary.train + prepared.summary.dev + prepared.summary.test).toBe(rows);
  } finally {
    worker.terminate();
  }
}, 240_000);
