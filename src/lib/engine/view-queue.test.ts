import { describe, expect, it } from 'vitest';
import type { GridJob, GridResult, PageLayer, ParamSource } from '../../../workers/view/types.ts';
import { paramSource, ViewQueue, type ViewRunner } from './view-queue.ts';

function layersOn(buffer: ArrayBufferLike): PageLayer[] {
  return [
    {
      W: new Float32Array(buffer, 16, 6),
      b: new Float32Array(buffer, 48, 3),
      rows: 3,
      cols: 2,
      activation: 'tanh',
    },
    {
      W: new Float32Array(buffer, 64, 3),
      b: new Float32Array(buffer, 80, 1),
      rows: 1,
      cols: 3,
      activation: 'sigmoid',
    },
  ];
}

const job = (fx: number): GridJob => ({
  fx,
  fy: 1,
  base: new Float64Array(2),
  xRange: [0, 1],
  yRange: [0, 1],
  target: { kind: 'output' },
  budget: 1000,
  maxSide: 12,
});

/** A runner whose answers the test releases one by one, on a clock the test moves. */
function fakeWorker(ms = 30) {
  const calls: string[] = [];
  const attached: ParamSource[] = [];
  const open: Array<() => void> = [];
  let failNext = false;
  const runner: ViewRunner = {
    attach: async (s) => {
      calls.push('attach');
      if (s) attached.push(s);
    },
    grid: (j) =>
      new Promise<GridResult>((resolve, reject) => {
        calls.push(`grid ${j.fx}`);
        open.push(() =>
          failNext
            ? ((failNext = false), reject(new Error('worker stopped')))
            : resolve({ side: 1, per: 1, values: Float32Array.of(j.fx), ms }),
        );
      }),
    scatter: () => Promise.reject(new Error('not used')),
    pca: async (j) => {
      calls.push(`pca ${j.m}`);
      return { coords: new Float32Array(2 * j.m), ratio: [1, 0], ms };
    },
    projection: async (j) => {
      calls.push(`projection ${j.m}`);
      return { side: 1, per: 1, values: Float32Array.of(j.m), agreement: 1, ms };
    },
  };
  return {
    runner,
    calls,
    attached,
    release: async () => {
      open.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    failNext: () => (failNext = true),
  };
}

function clock() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => t,
    schedule: (fn: () => void, ms: number) => timers.push({ at: t + ms, fn }),
    advance(ms: number) {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers.splice(0, timers.length, ...timers.filter((x) => x.at > t));
      for (const x of due) x.fn();
    },
  };
}

describe('ViewQueue', () => {
  it('keeps one job in flight, lets the newest request of a view replace a waiting one, and attaches once per network', async () => {
    const w = fakeWorker(0);
    const c = clock();
    const q = new ViewQueue(() => w.runner, { share: 1, now: c.now, schedule: c.schedule });
    const layers = layersOn(new ArrayBuffer(128));
    const got: number[] = [];
    const done = (r: GridResult) => got.push(r.values[0]);
    q.request('boundary', layers, { kind: 'grid', job: job(0), done });
    q.request('boundary', layers, { kind: 'grid', job: job(1), done });
    q.request('boundary', layers, { kind: 'grid', job: job(2), done });
    q.request('neuron', layers, { kind: 'grid', job: job(7), done });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls).toEqual(['attach', 'grid 0']);
    await w.release();
    await w.release();
    await w.release();
    // Request 1 was replaced by 2 before it ran; the same layers are not attached again.
    expect(w.calls).toEqual(['attach', 'grid 0', 'grid 2', 'grid 7']);
    expect(got).toEqual([0, 2, 7]);
    expect(q.jobs).toBe(3);
    // New layers (a new run): attached before the next job.
    q.request('boundary', layersOn(new ArrayBuffer(128)), { kind: 'grid', job: job(3), done });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls.slice(-2)).toEqual(['attach', 'grid 3']);
  });

  it('keeps the worker busy at most `share` of the time, and attaches again after a failure', async () => {
    const w = fakeWorker(30);
    const c = clock();
    const q = new ViewQueue(() => w.runner, { share: 0.3, now: c.now, schedule: c.schedule });
    const layers = layersOn(new ArrayBuffer(128));
    const done = () => undefined;
    q.request('boundary', layers, { kind: 'grid', job: job(0), done });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await w.release();
    let failed = 0;
    q.request('boundary', layers, { kind: 'grid', job: job(1), done, failed: () => failed++ });
    // 30 ms of work at a 30% share: the next job waits 70 ms.
    expect(w.calls).toEqual(['attach', 'grid 0']);
    c.advance(69);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls).toEqual(['attach', 'grid 0']);
    c.advance(1);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls).toEqual(['attach', 'grid 0', 'grid 1']);
    w.failNext();
    await w.release();
    expect(failed).toBe(1);
    c.advance(1000);
    q.request('boundary', layers, { kind: 'grid', job: job(2), done });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls.slice(-2)).toEqual(['attach', 'grid 2']);
  });
});

describe('ViewQueue with the projection', () => {
  it('runs a job of the data alone without attaching, then a projection on the attached network', async () => {
    const w = fakeWorker(0);
    const c = clock();
    const q = new ViewQueue(() => w.runner, { share: 1, now: c.now, schedule: c.schedule });
    const got: string[] = [];
    const x = new Float32Array(6);
    q.request('projection-pca', null, {
      kind: 'pca',
      job: { x, nx: 2, m: 3 },
      done: (r) => got.push(`coords ${r.coords.length}`),
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls).toEqual(['pca 3']);
    q.request('boundary', layersOn(new ArrayBuffer(128)), {
      kind: 'projection',
      job: {
        x,
        m: 3,
        coords: new Float32Array(6),
        xRange: [0, 1],
        yRange: [0, 1],
        side: 8,
        k: 7,
        classes: true,
      },
      done: (r) => got.push(`grid ${r.values[0]}`),
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.calls).toEqual(['pca 3', 'attach', 'projection 3']);
    expect(got).toEqual(['coords 6', 'grid 3']);
    expect(q.jobs).toBe(2);
  });
});

describe('paramSource', () => {
  it('points the worker into a shared arena, and copies plain buffers', () => {
    const sab = new SharedArrayBuffer(128);
    const shared = paramSource(layersOn(sab));
    expect(shared).toEqual({
      kind: 'shared',
      buffer: sab,
      layers: [
        { wOffset: 16, bOffset: 48, rows: 3, cols: 2, activation: 'tanh' },
        { wOffset: 64, bOffset: 80, rows: 1, cols: 3, activation: 'sigmoid' },
      ],
    });
    const plain = layersOn(new ArrayBuffer(128));
    plain[0].W[1] = 4;
    const copy = paramSource(plain);
    if (copy.kind !== 'snapshot') throw new Error('expected a copy');
    expect(Array.from(copy.layers[0].W)).toEqual([0, 4, 0, 0, 0, 0]);
    plain[0].W[1] = 5;
    expect(copy.layers[0].W[1]).toBe(4);
    expect(copy.layers[0].W.buffer).not.toBe(plain[0].W.buffer);
  });
});
