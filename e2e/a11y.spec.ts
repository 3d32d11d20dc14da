// Accessibility of the shell on a desktop: axe-core (no serious or critical violations), light and
// dark really differ, a visible focus ring on every keyboard stop. The phone (360 px, both schemes,
// every panel open) is e2e/phone.spec.ts.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, expectFullApp, test } from './support/fixtures.ts';

async function seriousViolations(
  page: Page,
  scope?: string,
): Promise<Array<{ id: string; impact: string; nodes: string[] }>> {
  const builder = new AxeBuilder({ page });
  const result = await (scope ? builder.include(scope) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
}

// The desktop layout in light colours here; the phone layout in both schemes, with every panel
// open, is e2e/phone.spec.ts.
const CASES: ReadonlyArray<{ colorScheme: 'light' | 'dark'; width: number }> = [
  { colorScheme: 'light', width: 1280 },
];

for (const { colorScheme, width } of CASES) {
  test(`axe: no serious or critical violations, ${colorScheme} mode, ${width} px wide`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme });
    await page.goto('/');
    await expectFullApp(page);
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
      colorScheme === 'dark',
    );
    expect(await seriousViolations(page)).toEqual([]);
    // The header with its About panel open, too.
    await page.getByText('About', { exact: true }).click();
    await expect(page.getByRole('button', { name: 'Check for updates' })).toBeVisible();
    expect(await seriousViolations(page, 'header')).toEqual([]);
    // Nothing wider than the screen (a phone must not scroll sideways).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      width,
    );
  });
}

test('on a 1400 px desktop the maths area takes the whole width', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expectFullApp(page);
  const width = (id: string) =>
    page.evaluate((i) => document.getElementById(i)!.getBoundingClientRect().width, id);
  expect(await width('learn')).toBeGreaterThanOrEqual(900);
  // The other areas still sit side by side above it.
  expect(await width('data')).toBeLessThan(700);
});

test('light and dark mode really differ', async ({ page }) => {
  const bg = async (scheme: 'light' | 'dark') => {
    await page.emulateMedia({ colorScheme: scheme });
    return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  };
  await page.goto('/');
  await expectFullApp(page);
  expect(await bg('light')).not.toBe(await bg('dark'));
});

test('every keyboard stop of the shell shows a visible focus ring', async ({ page }) => {
  await page.goto('/');
  await expectFullApp(page);
  const seen: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        key: `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}`,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
        shadow: s.boxShadow !== 'none',
        onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth,
      };
    });
    if (!f || seen.includes(f.key)) break;
    seen.push(f.key);
    expect(f.outline || f.shadow, `focus ring on ${f.key}`).toBe(true);
    expect(f.onScreen, `${f.key} is on screen when focused`).toBe(true);
  }
  // The first stop skips to the content; the header's own controls are reachable.
  expect(seen[0]).toMatch(/^a:Skip to content/);
  expect(seen.some((k) => k.startsWith('summary:About'))).toBe(true);
});
