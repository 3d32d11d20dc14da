// The QR code decodes back to the link with a well-kept decoder (jsQR), up to the longest link a QR
// code holds; longer links get no code.
import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { QR_MAX_BYTES, QR_QUIET, makeQr, qrPath, type QrCode } from './qr.ts';

/** Paints the path's rectangles into RGBA pixels (scale px per module), as a browser would. */
function render(code: QrCode, scale = 4): { data: Uint8ClampedArray; width: number } {
  const width = code.size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const m of code.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let py = y * scale; py < (y + 1) * scale; py++)
      for (let px = x * scale; px < (x + w) * scale; px++) {
        const i = (py * width + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return { data, width };
}

describe('QR codes', () => {
  it('draws runs of dark modules as rectangles inside the quiet zone', () => {
    const grid = ['#.##', '....', '####', '.#..'];
    const path = qrPath(4, (r, c) => grid[r][c] === '#');
    const q = QR_QUIET;
    expect(path).toBe(
      `M${q} ${q}h1v1h-1zM${q + 2} ${q}h2v1h-2zM${q} ${q + 2}h4v1h-4zM${q + 1} ${q + 3}h1v1h-1z`,
    );
  });

  it('decodes to the link, short or as long as a QR code holds', async () => {
    const short = 'http://localhost:4173/#v=1&hidden=8:tanh:1&seed=42';
    const long =
      'http://localhost:4173/#v=1&lesson=' + 'aB3_-'.repeat(Math.floor((QR_MAX_BYTES - 40) / 5));
    for (const link of [short, long]) {
      const code = await makeQr(link);
      expect(code).not.toBeNull();
      const { data, width } = render(code!);
      expect(jsQR(data, width, width)?.data).toBe(link);
    }
  });

  it('gives no code for a link longer than any QR code holds', async () => {
    expect(await makeQr('x'.repeat(QR_MAX_BYTES + 1))).toBeNull();
  });
});
