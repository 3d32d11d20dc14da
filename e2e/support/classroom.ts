// Pieces the classroom specs share: a small table to train on, driving the data and training areas,
// downloads read back, and what a PDF's pages hold.
import { inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { expect, type Download, type Page } from '@playwright/test';

/** A three-class table of four measurements (seeded, so every run of the suite has the same bytes). */
export function flowersCsv(rows = 150, seed = 11): string {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const kinds = ['setosa', 'versicolor', 'virginica'];
  const lines = ['länge,breite,blatt,stiel,art'];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    const v = (base: number) => (base + k * 1.1 + (rnd() - 0.5) * 1.2).toFixed(2);
    lines.push(`${v(5)},${v(3)},${v(1.5)},${v(0.3)},${kinds[k]}`);
  }
  return lines.join('\n') + '\n';
}

export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
export const trainingState = (page: Page) => page.getByTestId('training');

/** Opens the app and waits until its starting sample is prepared. */
export async function openApp(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByText(/Training on \d+ examples/)).toBeVisible({ timeout: 30_000 });
}

/** Loads a table through the data area's file input and picks the column to predict. */
export async function loadTable(page: Page, name: string, text: string, target: string) {
  await page
    .getByLabel(/CSV/)
    .first()
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await expect(page.locator('#data').getByRole('heading', { name })).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole('combobox', { name: /^Target column/ }).selectOption({ label: target });
  await expect(page.getByText(new RegExp(`to predict ${target}`))).toBeVisible({ timeout: 30_000 });
}

export async function setNumber(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** Presses Train and waits for the run to finish. */
export async function trainToEnd(page: Page): Promise<void> {
  await expect(button(page, 'Train')).toBeEnabled({ timeout: 30_000 });
  await button(page, 'Train').click();
  await expect(trainingState(page)).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
}

/** Clicks and returns the download it starts, with its bytes. */
export async function downloadOf(
  page: Page,
  click: () => Promise<unknown>,
): Promise<{ name: string; bytes: Buffer; download: Download }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path as string), download };
}

/** A PNG's width and height (from its IHDR chunk), or null when the bytes are not a PNG. */
export function pngSize(b: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((v, i) => b[i] === v)) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/** The CSV's rows as cells (RFC 4180 quotes, CRLF or LF). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** For each page of a PDF, how many text-showing and image-drawing operators its content has. */
export function pdfPages(pdf: Buffer): Array<{ text: number; images: number }> {
  const src = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (const m of src.matchAll(re)) {
    const body = m[2];
    const at = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (at >= 0) {
      dict = body.slice(0, at);
      const start = m.index + m[0].indexOf(body) + at + 'stream'.length;
      const s0 = src[start] === '\r' ? start + 2 : start + 1;
      const end = src.indexOf('endstream', s0);
      stream = pdf.subarray(s0, end);
    }
    objects.set(Number(m[1]), { dict, stream });
  }
  const pages: Array<{ text: number; images: number }> = [];
  for (const { dict } of objects.values()) {
    if (!/\/Type\s*\/Page(?!s)/.test(dict)) continue;
    const refs = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(dict)?.[1] ?? '';
    let content = '';
    for (const r of refs.matchAll(/(\d+) 0 R/g)) {
      const o = objects.get(Number(r[1]));
      if (!o?.stream) continue;
      let data = o.stream;
      if (/FlateDecode/.test(o.dict)) {
        try {
          data = inflateSync(data);
        } catch {
          data = Buffer.alloc(0);
        }
      }
      content += data.toString('latin1');
    }
    pages.push({
      text: (content.match(/\bT[Jj]\b/g) ?? []).length,
      images: (content.match(/\/[\w.-]+\s+Do\b/g) ?? []).length,
    });
  }
  return pages;
}
