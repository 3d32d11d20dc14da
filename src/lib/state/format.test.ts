import { describe, expect, it } from 'vitest';
import { formatBrief, formatBytes, formatCell, formatMetric, formatVersion } from './format.ts';

describe('formatMetric', () => {
  it('prints bare numbers', () => {
    expect(formatMetric(0.912345)).toBe('0.9123');
    expect(formatMetric(1)).toBe('1');
    expect(formatMetric(12)).toBe('12');
    expect(formatMetric(Number.NaN)).toBe('');
    expect(formatMetric(1.5e-6)).toBe('1.500e-6');
    expect(Number(formatMetric(0.5))).toBe(0.5);
  });
});

describe('formatCell', () => {
  it('prints 4 significant digits, an exponent for huge or tiny values, nothing for NaN', () => {
    expect(formatCell(3.14159)).toBe('3.142');
    expect(formatCell(0)).toBe('0');
    expect(formatCell(1234567)).toBe('1.23e+6');
    expect(formatCell(0.0001234)).toBe('1.23e-4');
    expect(formatCell(Number.NaN)).toBe('');
  });
});

describe('formatBrief', () => {
  it('prints 3 decimals, an exponent below 0.01, and a dash when there is no value', () => {
    expect(formatBrief(0.91234)).toBe('0.912');
    expect(formatBrief(0.001234)).toBe('1.23e-3');
    expect(formatBrief(0)).toBe('0.000');
    expect(formatBrief(Number.NaN)).toBe('–');
  });
});

describe('formatBytes', () => {
  it('prints bytes, then binary units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
    expect(formatBytes(5000 * 1024 ** 4)).toBe('5000 TB');
  });
  it('keeps a fixed number of decimals when asked (the reading progress line)', () => {
    expect(formatBytes(150 * 1024 * 1024, 1)).toBe('150.0 MB');
    expect(formatBytes(1536, 1)).toBe('1.5 KB');
    expect(formatBytes(1000, 1)).toBe('1000 B');
  });
  it('says "?" for nonsense instead of printing NaN', () => {
    expect(formatBytes(Number.NaN)).toBe('?');
    expect(formatBytes(-1)).toBe('?');
  });
});

describe('formatVersion', () => {
  it('turns an ISO build stamp into a readable UTC date and minute', () => {
    expect(formatVersion('2026-11-25T15:29:38.123Z')).toBe('2026-11-25 15:29 UTC');
    expect(formatVersion('2026-11-25T15:29Z')).toBe('2026-11-25 15:29 UTC');
  });
  it('leaves any other version string as it is', () => {
    expect(formatVersion('1.2.3')).toBe('1.2.3');
    expect(formatVersion('2026-11-25')).toBe('2026-11-25');
  });
});
