import { describe, expect, it } from 'vitest';
import { isolationAction } from './app-status.svelte.ts';

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
