// Which text encoding a file uses, and whether it is text at all. Decisions from the first bytes:
// a BOM names UTF-8 or UTF-16; otherwise UTF-8 if the bytes are valid UTF-8, else Windows-1252.
import type { TextEncodingName } from './types.ts';

export interface Sniffed {
  encoding: TextEncodingName;
  /** Bytes of the byte-order mark to skip. */
  bomLength: number;
  /** A sentence for the user when the file is not text, else null. */
  binary: string | null;
}

function startsWith(b: Uint8Array, sig: number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

/** Looks at the first bytes of a file (64 KiB is plenty). */
export function sniff(head: Uint8Array): Sniffed {
  if (startsWith(head, [0xef, 0xbb, 0xbf]))
    return { encoding: 'utf-8', bomLength: 3, binary: null };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2, binary: null };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2, binary: null };
  const binary = binaryReason(head);
  if (binary) return { encoding: 'utf-8', bomLength: 0, binary };
  return {
    encoding: isValidUtf8Prefix(head) ? 'utf-8' : 'windows-1252',
    bomLength: 0,
    binary: null,
  };
}

function binaryReason(head: Uint8Array): string | null {
  const spreadsheet =
    'Save it from your spreadsheet program as "CSV (comma separated values)" and try again.';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]))
    return `This file is a compressed archive (for example an Excel .xlsx workbook), not a CSV text file. ${spreadsheet}`;
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]))
    return `This file is an old Excel .xls workbook, not a CSV text file. ${spreadsheet}`;
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46]))
    return 'This file is a PDF document, not a CSV text file. Export the table as CSV and try again.';
  let control = 0;
  const n = Math.min(head.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0)
      return `This file contains binary data (a zero byte at position ${i + 1}), so it is not a CSV text file. ${spreadsheet}`;
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) control++;
  }
  if (n > 0 && control / n > 0.05)
    return `This file does not look like text: many of its bytes are control characters. ${spreadsheet}`;
  return null;
}

/** Valid UTF-8, allowing the last character to be cut by the end of the sample. */
export function isValidUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** A streaming decoder; for UTF-8 it is fatal, so invalid bytes later in the file throw and the caller
 * can start again in Windows-1252. */
export function createDecoder(encoding: TextEncodingName): TextDecoder {
  return new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: true });
}
