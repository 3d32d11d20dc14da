import { describe, expect, it } from 'vitest';
import { isTypingTarget } from './keys.ts';

const el = (tagName: string, attrs: Record<string, string> = {}, isContentEditable = false) => ({
  tagName,
  isContentEditable,
  getAttribute: (n: string) => attrs[n] ?? null,
});

describe('isTypingTarget', () => {
  it('leaves the space bar to inputs, selects, buttons and editable text', () => {
    for (const t of ['input', 'TEXTAREA', 'select', 'BUTTON', 'a'])
      expect(isTypingTarget(el(t) as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget(el('div', {}, true) as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget(el('circle', { role: 'button' }) as unknown as EventTarget)).toBe(true);
  });
  it('takes it on the page body and plain elements', () => {
    expect(isTypingTarget(el('BODY') as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(el('section') as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
