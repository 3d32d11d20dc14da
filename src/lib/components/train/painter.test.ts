import { describe, expect, it } from 'vitest';
import { throttledPainter } from './painter.ts';

/** A fake clock and timer queue: the painter's schedule is checked without waiting. */
function fakeTime() {
  let t = 0;
  const queue: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  return {
    now: () => t,
    schedule: (fn: () => void, ms: number) => {
      queue.push({ at: t + ms, fn, id: ++id });
      return id;
    },
    unschedule: (h: unknown) => {
      const i = queue.findIndex((q) => q.id === h);
      if (i >= 0) queue.splice(i, 1);
    },
    advance(ms: number, cost = 0) {
      const end = t + ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at);
        const next = queue[0];
        if (!next || next.at > end) break;
        queue.shift();
        t = Math.max(t, next.at);
        const before = t;
        next.fn();
        // the draw "takes" cost ms
        if (cost) t = before + cost;
      }
      t = Math.max(t, end);
    },
    set(v: number) {
      t = v;
    },
  };
}

describe('throttledPainter', () => {
  it('coalesces many requests into one draw per interval and never drops the last', () => {
    const clock = fakeTime();
    let n = 0;
    const p = throttledPainter(() => n++, { minInterval: 100, ...clock });
    for (let i = 0; i < 60; i++) {
      p.request();
      clock.advance(16);
    }
    // ~960 ms of requests at 60 Hz -> about one draw per 100 ms
    expect(n).toBeGreaterThanOrEqual(8);
    expect(n).toBeLessThanOrEqual(11);
    const before = n;
    p.request();
    clock.advance(500);
    expect(n).toBe(before + 1);
  });

  it('spaces draws further apart when a draw is expensive', () => {
    const clock = fakeTime();
    let n = 0;
    const p = throttledPainter(
      () => {
        n++;
        clock.set(clock.now() + 40); // each draw costs 40 ms
      },
      { minInterval: 100, costFactor: 6, ...clock },
    );
    for (let i = 0; i < 125; i++) {
      p.request();
      clock.advance(16);
    }
    // 2 s with a 240 ms gap + 40 ms draw -> about 7 draws, far fewer than the cheap case
    expect(n).toBeGreaterThanOrEqual(5);
    expect(n).toBeLessThanOrEqual(9);
  });

  it('cancels a pending draw', () => {
    const clock = fakeTime();
    let n = 0;
    const p = throttledPainter(() => n++, clock);
    p.request();
    clock.advance(0);
    p.request();
    p.cancel();
    clock.advance(1000);
    expect(n).toBe(1);
    expect(p.draws).toBe(1);
  });
});
