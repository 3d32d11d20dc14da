// Tap targets as a phone user meets them: every control on the page that a finger can press, with the
// box it presses (a checkbox or radio wrapped in its label: the label's box). Links inside running
// text are exempt (WCAG 2.5.5's inline exception); hidden and zero-sized elements are not targets.
import type { Page } from '@playwright/test';

export interface SmallTarget {
  what: string;
  width: number;
  height: number;
}

/** Every visible control smaller than `min` px in either direction. */
export function smallTargets(page: Page, min = 44): Promise<SmallTarget[]> {
  return page.evaluate((min) => {
    const controls =
      'button, input, select, textarea, summary, a[href], [role="button"], [role="tab"], [tabindex="0"]';
    const small: SmallTarget[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(controls)) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      let box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const input = el instanceof HTMLInputElement ? el : null;
      const label = el.closest('label');
      if (input && label && ['checkbox', 'radio', 'file'].includes(input.type))
        box = label.getBoundingClientRect();
      if (el.tagName === 'A' && !el.classList.length && el.closest('p, li, td, dd, figcaption'))
        continue;
      // Sub-pixel layout: 43.99 px is 44 px on the screen.
      if (Math.round(box.width) < min || Math.round(box.height) < min) {
        const name =
          el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.getAttribute('name') ?? '';
        const where = el.closest('[id]')?.id ?? '';
        small.push({
          what: `${el.tagName.toLowerCase()}${input ? `[type=${input.type}]` : ''} "${name.slice(0, 50)}" in #${where}`,
          width: Math.round(box.width),
          height: Math.round(box.height),
        });
      }
    }
    return small;
  }, min);
}

/** Elements that stick out past the right edge of the screen without a scrolling box to hold them. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const right = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= right + 0.5) continue;
      let held = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') held = true;
      if (!held)
        out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)} px)`);
    }
    return out;
  });
}
