// Sharing a lesson without a server: the teacher's link carries the data, the network, the settings
// and the seed; a student who opens it in a fresh browser, offline once the app is installed, gets the
// same run bit for bit. The QR code on screen decodes (jsQR) to that link.
import { createRequire } from 'node:module';
import { expect, test, waitForOfflineReady, watchExternalRequests } from './support/fixtures.ts';
import {
  button,
  csvRows,
  downloadOf,
  flowersCsv,
  loadTable,
  openApp,
  setNumber,
  trainToEnd,
} from './support/classroom.ts';
import type { Page } from '@playwright/test';

const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');

/** The history CSV without the columns that measure time (the only ones allowed to differ). */
async function history(page: Page): Promise<string[][]> {
  const { bytes } = await downloadOf(page, () => button(page, 'History (CSV)').click());
  const rows = csvRows(bytes.toString('utf8'));
  const keep = rows[0].map((h, i) => (/per second|elapsed/.test(h) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]));
}

/** Decodes the QR code as the page shows it (a screenshot of it), with jsQR in the page. */
async function decodeQr(page: Page): Promise<string | null> {
  const qr = page.getByTestId('share-qr');
  const png = (await qr.screenshot()).toString('base64');
  await page.addScriptTag({ path: JSQR });
  return page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(
      await (await fetch(`data:image/png;base64,${b64}`)).blob(),
    );
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const img = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    type JsQr = (d: Uint8ClampedArray, w: number, h: number) => { data: string } | null;
    return (
      (window as unknown as { jsQR: JsQr }).jsQR(img.data, img.width, img.height)?.data ?? null
    );
  }, png);
}

test('a shared link with the data reproduces the teacher’s run bit for bit in a fresh, offline browser', async ({
  page,
  context,
  browser,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // The teacher: a small table of their own, settings of their own, a run.
  await openApp(page);
  await loadTable(page, 'klasse 7b.csv', flowersCsv(90, 5), 'art');
  await setNumber(page, 'Epochs', '30');
  await setNumber(page, 'Seed', '7');
  await setNumber(page, 'Learning rate', '0.02');
  await trainToEnd(page);
  const teacher = await history(page);
  expect(teacher).toHaveLength(31);

  await button(page, 'Share').click();
  const panel = page.getByTestId('share-panel');
  await expect(panel.getByRole('heading', { name: 'Share this lesson' })).toBeVisible();
  const linkBox = panel.getByRole('textbox', { name: 'Link to this lesson' });
  await expect(linkBox).toHaveValue(/#v=1&.*&lesson=/);
  const link = await linkBox.inputValue();
  expect(link.startsWith(new URL('/', page.url()).href)).toBe(true);
  await expect(panel.getByTestId('share-holds')).toContainText(
    'The link holds the data itself (klasse 7b.csv',
  );
  await panel.getByRole('button', { name: 'Copy link' }).click();
  await expect(panel.getByText('Link copied.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  // The QR code on screen is that link.
  await expect(
    panel.getByRole('img', { name: 'QR code of the link to this lesson' }),
  ).toBeVisible();
  expect(await decodeQr(page)).toBe(link);

  // A student: a fresh browser profile that opened the app once (installed, offline copy ready)...
  const student = await browser.newContext();
  const external = watchExternalRequests(student);
  try {
    const s = await student.newPage();
    await s.goto('/');
    await waitForOfflineReady(s);
    // ...opens the link with no network at all.
    await student.setOffline(true);
    await s.goto('about:blank');
    await s.goto(link);
    await expect(s.getByTestId('launch-message')).toContainText('Lesson opened from a link');
    await expect(s.locator('#data').getByRole('heading', { name: 'klasse 7b.csv' })).toBeVisible();
    await expect(s.getByText(/to predict art/)).toBeVisible({ timeout: 30_000 });
    await expect(s.getByLabel('Epochs', { exact: true })).toHaveValue('30');
    await expect(s.getByLabel('Seed', { exact: true })).toHaveValue('7');
    await expect(s.getByLabel('Learning rate', { exact: true })).toHaveValue('0.02');
    // The address keeps the settings, not the packed data.
    await expect.poll(() => s.url()).not.toContain('lesson=');
    await trainToEnd(s);
    expect(await history(s)).toEqual(teacher);
    expect(external).toEqual([]);
  } finally {
    await student.close();
  }
});

test('data too big for a link: the link carries the settings and says to import the lesson pack', async ({
  page,
  browser,
}) => {
  await openApp(page);
  // 8,000 rows of noisy numbers compress to far more than 32 KB.
  await loadTable(page, 'groß.csv', flowersCsv(8000, 9), 'art');
  await button(page, 'Share').click();
  const panel = page.getByTestId('share-panel');
  await expect(panel.getByTestId('share-holds')).toContainText(
    'more than a link can carry (32 kB)',
  );
  const link = await panel.getByRole('textbox', { name: 'Link to this lesson' }).inputValue();
  expect(link.length).toBeLessThan(2000);
  expect(await decodeQr(page)).toBe(link);

  const student = await browser.newContext();
  try {
    const s = await student.newPage();
    await s.goto(link);
    await expect(s.getByTestId('launch-message')).toContainText(
      'was too big for a link: import the lesson pack file',
    );
    // Nothing else is lost: the app still opens with its starting sample.
    await expect(s.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
  } finally {
    await student.close();
  }
});
