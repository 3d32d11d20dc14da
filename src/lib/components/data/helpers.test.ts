import { describe, expect, it } from 'vitest';
import { HEALTH_ALL_ROWS, HEALTH_FIRST_ROWS, healthRows } from './helpers.ts';

const cols = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}` }));

describe('healthRows', () => {
  it('shows every column of a narrow file', () => {
    const r = healthRows(cols(HEALTH_ALL_ROWS), false, null);
    expect(r.shown.map((c) => c.name)).toEqual(cols(HEALTH_ALL_ROWS).map((c) => c.name));
    expect(r.hidden).toBe(0);
  });

  it("shows a wide file's first columns and the target's row, and counts the rest", () => {
    const r = healthRows(cols(65), false, 'c64');
    expect(r.shown.map((c) => c.name)).toEqual([
      ...cols(HEALTH_FIRST_ROWS).map((c) => c.name),
      'c64',
    ]);
    expect(r.hidden).toBe(65 - HEALTH_FIRST_ROWS - 1);
    // A target among the first rows is not shown twice.
    expect(healthRows(cols(65), false, 'c3').shown).toHaveLength(HEALTH_FIRST_ROWS);
    expect(healthRows(cols(65), false, 'c3').hidden).toBe(65 - HEALTH_FIRST_ROWS);
  });

  it('shows them all when asked, in their order', () => {
    const r = healthRows(cols(65), true, 'c64');
    expect(r.shown).toHaveLength(65);
    expect(r.shown[64].name).toBe('c64');
    expect(r.hidden).toBe(0);
  });
});
