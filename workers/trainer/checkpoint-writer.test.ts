// The trainer worker's own checkpoint writes: into the lab's database, where the page says, the page
// hearing only a notice without the parameters; one write at a time, the newest replacing one that
// waits; failures (a deleted run, a full disk) told to the page, never thrown into training.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { packNetwork, packResume } from '../core/packed.ts';
import { net, netConfig as config, state } from '../core/packed.test-support.ts';
import { LabStore } from '../store/store.ts';
import { createRun, getCheckpoint, getRun } from '../store/runs.ts';
import { newRunInput } from '../store/fixtures.test-support.ts';
import { checkpointWriter, noticeOf } from './checkpoint-writer.ts';
import { checkpointSaver } from '../store/checkpoint-save.ts';
import type {
  CheckpointNotice,
  CheckpointSink,
  CheckpointTarget,
  CheckpointWritten,
  TrainerSnapshot,
} from './types.ts';
import type { EpochMetrics } from '../core/types.ts';

const row = (epoch: number): EpochMetrics =>
  ({ epoch, trainLoss: 1 / epoch, elapsedMs: epoch * 10 }) as EpochMetrics;

function snapshot(epoch: number, scale = 1): TrainerSnapshot {
  const network = packNetwork({
    ...net,
    params: net.params.map((p) => ({ W: p.W.map((w) => w * scale), b: [...p.b] })),
  });
  return {
    network,
    config,
    history: Array.from({ length: epoch }, (_, i) => row(i + 1)),
    state: 'running',
    epoch,
    step: epoch * 3,
    divergence: null,
    kernel: 'ts',
    savedAt: 0,
    elapsedMs: epoch * 10,
    resume: packResume({ ...state, epoch }),
  };
}

/** A page that saves every checkpoint into `runId` and records what it heard. */
function page(runId: string | null) {
  const heard: { notice: CheckpointNotice; target: CheckpointTarget; w: CheckpointWritten }[] = [];
  const asked: CheckpointNotice[] = [];
  const sink: CheckpointSink = {
    target: async (n) => {
      asked.push(n);
      return runId ? { runId, history: n.history, elapsedMs: n.elapsedMs + 1000 } : null;
    },
    written: (notice, target, w) => void heard.push({ notice, target, w }),
  };
  return { sink, heard, asked };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

let store: LabStore;
let names = 0;

async function newRun(): Promise<string> {
  store = new LabStore({ name: `cpw-${++names}`, broadcast: false, onFirstWrite: () => {} });
  const run = await createRun(store, newRunInput(net.spec, config));
  return run.id;
}

afterEach(async () => {
  await store?.close();
});

describe('checkpoints written by the trainer worker', () => {
  it('writes the parameters, resume state, history and time where the page says; the page hears a notice without the parameters', async () => {
    const runId = await newRun();
    const p = page(runId);
    await checkpointWriter(checkpointSaver(store), p.sink)(snapshot(3, 2));
    const cp = await getCheckpoint(store, runId);
    expect(cp!.epoch).toBe(3);
    expect(cp!.network.params[1].W).toEqual([net.params[1].W[0] * 2, net.params[1].W[1] * 2]);
    expect(cp!.trainerState).toEqual({ ...state, epoch: 3 });
    const run = await getRun(store, runId);
    expect(run!.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(run!.checkpointEpoch).toBe(3);
    expect(run!.timings.elapsedMs).toBe(1030);
    expect(p.heard).toHaveLength(1);
    expect(p.heard[0].w).toEqual({ ok: true });
    expect(p.heard[0].notice).not.toHaveProperty('network');
    expect(p.heard[0].notice).not.toHaveProperty('resume');
    expect(p.heard[0].notice.spec).toEqual(net.spec);
  });

  it('writes nothing when the page says the checkpoint is not saved', async () => {
    const runId = await newRun();
    const p = page(null);
    await checkpointWriter(checkpointSaver(store), p.sink)(snapshot(2));
    expect(p.asked).toHaveLength(1);
    expect(p.heard).toHaveLength(0);
    expect(await getCheckpoint(store, runId)).toBeUndefined();
  });

  it('writes one at a time: checkpoints that wait are replaced by the newest, and each call settles', async () => {
    const runId = await newRun();
    const p = page(runId);
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const target = p.sink.target;
    let entered = false;
    p.sink.target = async (n) => {
      entered = true;
      if (n.epoch === 1) await gate; // the first is being written when 2, 3 and 4 come
      return target(n);
    };
    const listen = checkpointWriter(checkpointSaver(store), p.sink);
    const first = listen(snapshot(1));
    while (!entered) await tick();
    const later = [2, 3, 4].map((e) => listen(snapshot(e)));
    open();
    await Promise.all([first, ...later]);
    expect(p.asked.map((n) => n.epoch)).toEqual([1, 4]);
    expect(p.heard.map((h) => h.w.ok)).toEqual([true, true]);
    expect((await getCheckpoint(store, runId))!.epoch).toBe(4);
  });

  it('tells the page of a failed write and goes on with the next checkpoint', async () => {
    await newRun();
    const p = page('no-such-run');
    const listen = checkpointWriter(checkpointSaver(store), p.sink);
    await listen(snapshot(1));
    expect(p.heard[0].w).toEqual({
      ok: false,
      quota: false,
      error: { key: 'store.error.runDeletedProgress' },
    });
    await listen(snapshot(2));
    expect(p.heard).toHaveLength(2);
  });

  it('says when the disk is full', async () => {
    const full = {
      write: () =>
        Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')),
    } as unknown as LabStore;
    const p = page('r1');
    await checkpointWriter(checkpointSaver(full), p.sink)(snapshot(1));
    expect(p.heard[0].w).toMatchObject({ ok: false, quota: true });
  });

  it('a notice is the snapshot without its parameters and resume state', () => {
    const s = snapshot(2);
    const { network: _n, resume: _r, ...rest } = s;
    expect(noticeOf(s)).toEqual({ ...rest, spec: s.network.spec });
  });
});
