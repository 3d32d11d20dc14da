import { afterEach, describe, expect, it, vi } from 'vitest';
import { guarded } from './data-bridge.ts';

describe('guarded', () => {
  afterEach(() => vi.useRealTimers());
  it('passes a value through', async () => {
    await expect(guarded(Promise.resolve(7), 1000, 'X')).resolves.toBe(7);
  });
  it('passes a rejection through as an Error', async () => {
    await expect(guarded(Promise.reject(new Error('boom')), 1000, 'X')).rejects.toThrow('boom');
  });
  it('rejects with a clear message when the worker does not answer in time', async () => {
    vi.useFakeTimers();
    const never = new Promise<number>(() => {});
    const p = guarded(never, 5000, 'Preparing the data');
    const check = expect(p).rejects.toThrow('Preparing the data did not answer within 5 s');
    await vi.advanceTimersByTimeAsync(5001);
    await check;
  });
});
