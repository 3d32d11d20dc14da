// A QR code of a link, generated on this device (qrcode-generator, loaded when first needed), drawn as
// one SVG path: a view renders it as a vector that prints and projects sharply at any size.

/** Modules of white border a scanner needs around the code. */
export const QR_QUIET = 4;
/** The most bytes a QR code holds (version 40, error correction L). */
export const QR_MAX_BYTES = 2953;

export interface QrCode {
  /** Modules per side, border included (the SVG's viewBox is `0 0 size size`). */
  size: number;
  /** The dark modules as an SVG path in module units. */
  path: string;
}

/** The path of a module grid's dark cells, one rectangle per horizontal run, shifted by the border. */
export function qrPath(count: number, isDark: (row: number, col: number) => boolean): string {
  const parts: string[] = [];
  for (let r = 0; r < count; r++) {
    let c = 0;
    while (c < count) {
      if (!isDark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < count && isDark(r, c)) c++;
      parts.push(`M${start + QR_QUIET} ${r + QR_QUIET}h${c - start}v1h-${c - start}z`);
    }
  }
  return parts.join('');
}

/** The QR code of `text` (medium error correction when it fits, else low), or null when the text is
 * too long for any QR code. */
export async function makeQr(text: string): Promise<QrCode | null> {
  if (new TextEncoder().encode(text).length > QR_MAX_BYTES) return null;
  const { default: qrcode } = await import('qrcode-generator');
  for (const level of ['M', 'L'] as const) {
    const qr = qrcode(0, level);
    qr.addData(text, 'Byte');
    try {
      qr.make();
    } catch {
      continue; // too long for this level
    }
    const count = qr.getModuleCount();
    return { size: count + 2 * QR_QUIET, path: qrPath(count, (r, c) => qr.isDark(r, c)) };
  }
  return null;
}
