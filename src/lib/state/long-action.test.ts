import { describe, expect, it, vi } from 'vitest';
import { LongAction, checkAborted } from './long-action.svelte.ts';

describe('LongAction', () => {
  it('shows itself only after the delay, counts its steps and ends idle', async () => {
    vi.useFakeTimers();
    try {
      const a = new LongAction();
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const result = a.run('report.zip.building', 3, async (step) => {
        step();
        await gate;
        step(2);
        return 'zip';
      });
      expect(a.running).toBe(true);
      expect(a.visible).toBe(false);
      expect(a.done).toBe(1);
      vi.advanceTimersByTime(999);
      expect(a.visible).toBe(false);
      vi.advanceTimersByTime(1);
      expect(a.visible).toBe(true);
      release();
      expect(await result).toBe('zip');
      expect(a.running).toBe(false);
      expect(a.visible).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancel aborts the signal; the action stops at its next step and gives null', async () => {
    const a = new LongAction();
    let reached = 0;
    let resume: () => void = () => {};
    const gate = new Promise<void>((r) => (resume = r));
    const result = a.run('report.zip.building', 2, async (step, signal) => {
      reached = 1;
      await gate;
      checkAborted(signal);
      reached = 2;
      return 'never';
    });
    a.cancel();
    resume();
    expect(await result).toBeNull();
    expect(reached).toBe(1);
    expect(a.running).toBe(false);
  });

  it('passes real failures on', async () => {
    const a = new LongAction();
    await expect(
      a.run('report.zip.building', 1, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(a.running).toBe(false);
  });
});
