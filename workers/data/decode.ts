// Which text encoding a file uses, and whether it is text at all. Decisions from the first bytes:
// a BOM names UTF-8 or UTF-16; otherwise UTF-8 if the bytes are valid UTF-8, else Windows-1252.
import { msg, type Msg } from '../messages/index.ts';
import type { TextEncodingName } from './types.ts';

export interface Sniffed {
  encoding: TextEncodingName;
  /** Bytes of the byte-order mark to skip. */
  bomLength: number;
  /** What to tell the user when the file is not text, else null. */
  binary: Msg | null;
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

function binaryReason(head: Uint8Array): Msg | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return msg('reading.binary.zip');
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) return msg('reading.binary.xls');
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return msg('reading.binary.pdf');
  let control = 0;
  const n = Math.min(head.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === 0) return msg('reading.binary.zero', { position: i + 1 });
    if (c < 9 || (c > 13 && c < 32 && c !== 27)) control++;
  }
  if (n > 0 && control / n > 0.05) return msg('reading.binary.control');
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
