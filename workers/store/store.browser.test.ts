// The store in a real browser: real IndexedDB, Web Locks and BroadcastChannel, used from a worker and the page.
import { describe, expect, it } from 'vitest';
import { openLabStore, type StoreEvent } from './store.ts';
import { getCheckpoint, getRun, recoverInterrupted, resumePoint } from './runs.ts';

describe('store across realms', () => {
  it('a worker records a run; the page sees it live, never marks it interrupted while the worker holds it, and resumes it after', async () => {
    const name = `browser-${Date.now()}`;
    const page = await openLabStore({ name, onFirstWrite: () => undefined });
    expect(page.inMemory).toBe(false);
    const changes: StoreEvent[] = [];
    page.subscribe((e) => changes.push(e));
    const worker = new Worker(new URL('./store.test-worker.ts', import.meta.url), {
      type: 'module',
    });
    const reply = await new Promise<{ runId?: string; error?: string; inMemory?: boolean }>(
      (resolve) => {
        worker.onmessage = (e: MessageEvent<{ runId?: string; error?: string }>) => resolve(e.data);
        worker.postMessage({ name });
      },
    );
    expect(reply.error).toBeUndefined();
    expect(reply.inMemory).toBe(false);
    const runId = reply.runId as string;
    // The worker's writes reached this page through the BroadcastChannel.
    await expect
      .poll(() =>
        changes.some((e) => e.type === 'changed' && e.remote && e.stores.includes('checkpoints')),
      )
      .toBe(true);
    const run = await getRun(page, runId);
    expect(run?.status).toBe('running');
    expect(run?.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect((await getCheckpoint(page, runId))?.network.params[0].W).toEqual([0.25]);
    // The worker holds the run's Web Lock: starting up here must not mark it interrupted.
    expect(await recoverInterrupted(page)).toEqual([]);
    worker.terminate(); // the "tab" closes: its locks are released
    await expect
      .poll(async () => (await recoverInterrupted(page)).length, { timeout: 10_000 })
      .toBe(1);
    expect((await getRun(page, runId))?.status).toBe('interrupted');
    const point = await resumePoint(page, runId);
    expect(point.epoch).toBe(2);
    expect(point.remainingEpochs).toBe(8);
    await page.close();
  });
});
