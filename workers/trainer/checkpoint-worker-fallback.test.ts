// When the checkpoint worker fails: the write in flight is told to the page as a failure it can
// translate, and the next checkpoints are written on the trainer's own thread.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packNetwork } from '../core/packed.ts';
import { net, netConfig as config } from '../core/packed.test-support.ts';
import { LabStore } from '../store/store.ts';
import { createRun, getCheckpoint } from '../store/runs.ts';
import { newRunInput } from '../store/fixtures.test-support.ts';
import { workerSaver } from './checkpoint-writer.ts';
import type { EpochMetrics } from '../core/types.ts';

/** A worker that takes messages and never answers, until fail() fires its 'error' event. */
class FailingWorker {
  static last: FailingWorker | null = null;
  readonly listeners = new Map<string, Array<(e: unknown) => void>>();
  posted = 0;
  terminated = false;
  constructor() {
    FailingWorker.last = this;
  }
  addEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  removeEventListener(): void {}
  postMessage(): void {
    this.posted++;
  }
  terminate(): void {
    this.terminated = true;
  }
  fail(message: string): void {
    const e = { type: 'error', message, preventDefault: () => undefined };
    for (const fn of this.listeners.get('error') ?? []) fn(e);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('the checkpoint worker failing', () => {
  it('fails the write in flight with a message, then writes on this thread', async () => {
    vi.stubGlobal('Worker', FailingWorker);
    const db = 'checkpoint-fallback';
    const store = new LabStore({ name: db, broadcast: false, onFirstWrite: () => {} });
    const runId = (await createRun(store, newRunInput(net.spec, config))).id;
    const cp = (epoch: number) => ({
      history: [{ epoch, trainLoss: 1 } as EpochMetrics],
      network: packNetwork(net),
      epoch,
      elapsedMs: 10,
    });
    const save = workerSaver(db);
    const first = save(runId, cp(1));
    await vi.waitFor(() => expect(FailingWorker.last?.posted).toBe(1));
    FailingWorker.last!.fail('out of memory');
    expect(await first).toEqual({
      ok: false,
      quota: false,
      error: { key: 'store.checkpointWorker.stopped', params: { detail: 'out of memory' } },
    });
    expect(FailingWorker.last!.terminated).toBe(true);
    expect(await getCheckpoint(store, runId)).toBeUndefined();

    expect(await save(runId, cp(2))).toEqual({ ok: true });
    expect((await getCheckpoint(store, runId))!.epoch).toBe(2);
    expect(FailingWorker.last!.posted).toBe(1);
    await store.close();
  });
});
