// The labs' bridge without a browser: a stand-in Worker that never answers, so what is checked is the
// bridge's own part (lazy start, cancel and crash ending the calls in flight, a fresh worker after).
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  posted = 0;
  terminated = false;
  constructor(
    readonly url: URL | string,
    readonly options?: WorkerOptions,
  ) {
    super();
    FakeWorker.made.push(this);
  }
  postMessage(): void {
    this.posted++;
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

vi.stubGlobal('Worker', FakeWorker);
const { labRunner, labsWorkerRunning, terminateLabsWorker } = await import('./labs-bridge.ts');

const input = { data: null, maxExamples: 10 };

describe('labs bridge', () => {
  beforeEach(() => {
    terminateLabsWorker();
    FakeWorker.made = [];
  });
  afterAll(() => {
    terminateLabsWorker();
    vi.unstubAllGlobals();
  });

  it('starts the worker on the first call only, as a module worker named labs', () => {
    const runner = labRunner();
    runner.cancel();
    expect(FakeWorker.made).toHaveLength(0);
    void runner.sandboxStep().catch(() => {});
    void runner.sandboxNetwork().catch(() => {});
    expect(FakeWorker.made).toHaveLength(1);
    const w = FakeWorker.made[0];
    expect(String(w.url)).toMatch(/workers\/labs\.worker\.ts$/);
    expect(w.options).toEqual({ type: 'module', name: 'labs' });
    expect(w.posted).toBe(2);
    expect(labsWorkerRunning()).toBe(true);
  });

  it('cancel ends the worker and rejects every call in flight; the next call starts a fresh one', async () => {
    const runner = labRunner();
    const a = runner.initLab(input, {
      spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
      seed: 1,
      lambda: 0,
      learningRate: 0.1,
      epochs: 5,
      batchSize: 8,
    });
    const b = runner.sandboxStep();
    runner.cancel();
    await expect(a).rejects.toThrow('Cancelled.');
    await expect(b).rejects.toThrow('Cancelled.');
    expect(FakeWorker.made[0].terminated).toBe(true);
    expect(labsWorkerRunning()).toBe(false);
    void runner.sandboxStep().catch(() => {});
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[1].terminated).toBe(false);
  });

  it('a crash rejects the calls in flight with a message saying what to do', async () => {
    const runner = labRunner();
    const call = runner.gradientCheck(input, {
      spec: { inputs: 2, hidden: [], outputs: 1, output: 'sigmoid' },
      lambda: 0,
      params: { init: 'he', seed: 1 },
    });
    FakeWorker.made[0].crash('out of memory');
    await expect(call).rejects.toThrow(
      /labs worker stopped unexpectedly \(out of memory\)\. Try again; reload the page/,
    );
    expect(FakeWorker.made[0].terminated).toBe(true);
    expect(labsWorkerRunning()).toBe(false);
  });
});
