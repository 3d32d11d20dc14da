import { describe, expect, it } from 'vitest';
import { formatBytes, formatVersion, isolationAction } from './app-status.svelte.ts';

describe('isolationAction: one automatic reload for isolation, never a loop', () => {
  it('does nothing once the page is isolated, whatever else holds', () => {
    for (const controlled of [true, false])
      for (const alreadyReloaded of [true, false])
        expect(isolationAction({ isolated: true, controlled, alreadyReloaded })).toBe('ok');
  });
  it('waits while no service worker controls the page (it cannot add headers yet)', () => {
    expect(isolationAction({ isolated: false, controlled: false, alreadyReloaded: false })).toBe(
      'wait',
    );
    expect(isolationAction({ isolated: false, controlled: false, alreadyReloaded: true })).toBe(
      'wait',
    );
  });
  it('reloads once when controlled but not isolated, then gives up', () => {
    expect(isolationAction({ isolated: false, controlled: true, alreadyReloaded: false })).toBe(
      'reload',
    );
    expect(isolationAction({ isolated: false, controlled: true, alreadyReloaded: true })).toBe(
      'failed',
    );
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
