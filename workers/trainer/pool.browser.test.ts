import { describe, expect, it } from 'vitest';
import type { HarnessReport, HarnessRequest } from './pool-harness.worker.ts';
import { splitProduct } from './pool.ts';
import { bestWasmVariant } from '../core/kernels/wasm.ts';

function runHarness(req: HarnessRequest): Promise<HarnessReport> {
  const worker = new Worker(new URL('./pool-harness.worker.ts', import.meta.url), {
    type: 'module',
  });
  return new Promise<HarnessReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(
        new Error(
          'the pool harness gave no answer within 60 s (a helper never reached the barrier?)',
        ),
      );
    }, 60_000);
    worker.onmessage = (e: MessageEvent<HarnessReport>) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(req);
  });
}

const SHAPES: HarnessRequest['shapes'] = [
  [false, false, 130, 64, 70],
  [false, true, 129, 96, 33],
  [true, false, 7, 301, 40],
  [true, true, 67, 67, 67],
  [false, false, 1, 257, 9],
  [false, true, 300, 1, 5],
  [true, false, 128, 256, 784],
];

describe('kernel pool (real workers on one shared memory)', () => {
  it('splits a product into whole micro-tiles along its longer side', () => {
    expect(splitProduct(130, 64, 2)).toEqual([
      { byRows: true, from: 0, to: 66 },
      { byRows: true, from: 66, to: 130 },
    ]);
    expect(splitProduct(7, 301, 3)).toEqual([
      { byRows: false, from: 0, to: 104 },
      { byRows: false, from: 104, to: 200 },
      { byRows: false, from: 200, to: 301 },
    ]);
    expect(splitProduct(1, 5, 4)).toEqual([{ byRows: false, from: 0, to: 5 }]);
  });

  it('has relaxed SIMD in this Chromium', () => {
    expect(bestWasmVariant()).toBe('wasm-relaxed');
  });

  for (const relaxed of [true, false]) {
    it(
      `gives the single-thread result bit for bit with 2 helpers, whole or in slices (${relaxed ? 'relaxed' : 'plain'} SIMD)`,
      { retry: 1 },
      async () => {
        const report = await runHarness({ helpers: 2, relaxed, shapes: SHAPES });
        expect(report.error).toBeUndefined();
        expect(report.crossOriginIsolated).toBe(true);
        expect(report.threads).toBe(3);
        expect(report.singleName).toBe(relaxed ? 'wasm-relaxed' : 'wasm-simd');
        expect(report.name).toBe(`${report.singleName}-x3`);
        expect(report.results).toHaveLength(SHAPES.length);
        for (const r of report.results) {
          expect(r.mismatches, r.shape).toBe(0);
          expect(r.slicedMismatches, r.shape).toBe(0);
          expect(r.maxTsError, r.shape).toBeLessThan(1e-5 * r.scale * 8);
        }
        expect(report.outOfBoundsError).toMatch(/failed|out of bounds/);
        // Every helper really computed: parts of the products above, with compute time of its own.
        expect(report.helperParts).toHaveLength(2);
        expect(report.helperBusyMs).toHaveLength(2);
        for (const [h, parts] of report.helperParts.entries()) {
          expect(parts, `helper ${h + 1}`).toBeGreaterThanOrEqual(SHAPES.length);
          expect(report.helperBusyMs[h], `helper ${h + 1}`).toBeGreaterThan(0);
        }
      },
    );
  }
});
