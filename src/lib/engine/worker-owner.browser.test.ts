// The worker owner with a real tiny worker in Chromium: a crash rejects the calls in flight and tells
// the listeners, a silent worker hits the time limit, and terminate() rejects what waits and lets the
// next call start a fresh worker.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerOwner } from './worker-owner.ts';
import type { FixtureApi } from './worker-owner.test-worker.ts';

const owners: WorkerOwner<FixtureApi>[] = [];
function owner(): WorkerOwner<FixtureApi> {
  const o = new WorkerOwner<FixtureApi>({
    spawn: () =>
      new Worker(new URL('./worker-owner.test-worker.ts', import.meta.url), { type: 'module' }),
    crashed: (detail) => new Error(`The fixture worker stopped unexpectedly (${detail}).`),
    timeoutHint: ' Try again.',
    name: 'The fixture worker',
  });
  owners.push(o);
  return o;
}

afterEach(() => {
  for (const o of owners.splice(0)) o.terminate();
});

describe('WorkerOwner', () => {
  it('starts the worker lazily, once, and passes answers through', async () => {
    const o = owner();
    expect(o.running).toBe(false);
    expect(o.spawned).toBe(0);
    expect(await o.call(o.remote().echo(7), 5000, 'Echo')).toBe(7);
    expect(await o.call(o.remote().echo(8), 5000, 'Echo')).toBe(8);
    expect(o.running).toBe(true);
    expect(o.spawned).toBe(1);
  });

  it('a crash rejects every call in flight at once and notifies the listeners', async () => {
    const o = owner();
    const heard: string[] = [];
    const off = o.onCrash((e) => heard.push(e.message));
    const waiting = o.call(o.remote().silent(), 0, 'Waiting');
    const crashing = o.call(o.remote().crash(), 60_000, 'Crashing');
    await expect(waiting).rejects.toThrow(
      /The fixture worker stopped unexpectedly \(.*fixture crash/,
    );
    await expect(crashing).rejects.toThrow(/stopped unexpectedly/);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/fixture crash/);
    expect(o.running).toBe(false);
    off();
    // The next call starts a new worker.
    expect(await o.call(o.remote().echo(3), 5000, 'Echo')).toBe(3);
    expect(o.spawned).toBe(2);
  });

  it('a silent worker hits the time limit with a clear message, and the worker lives on', async () => {
    const o = owner();
    await expect(o.call(o.remote().silent(), 1000, 'The fixture')).rejects.toThrow(
      'The fixture did not answer within 1 s. Try again.',
    );
    expect(o.running).toBe(true);
    expect(await o.call(o.remote().echo(1), 5000, 'Echo')).toBe(1);
    expect(o.spawned).toBe(1);
  });

  it('terminate() rejects what waits, and the next call starts the worker again', async () => {
    const o = owner();
    const waiting = o.call(o.remote().silent(), 0, 'Waiting');
    o.terminate();
    await expect(waiting).rejects.toThrow('The fixture worker was stopped before it answered.');
    expect(o.running).toBe(false);
    expect(await o.call(o.remote().echo(5), 5000, 'Echo')).toBe(5);
    expect(o.spawned).toBe(2);
  });
});
