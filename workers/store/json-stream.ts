// Reads a JSON file's root object piece by piece, so a big backup is never held whole: the text comes
// in chunks, and the scanner hands over each member of the root object as JSON text, except the
// members named as streamed lists ("models", "runs", "datasets" of a backup), whose elements are
// handed over one by one. Each piece is then parsed on its own (parseJsonSafely) and checked with its
// schema. Only the structure (strings, brackets, commas) is scanned here; JSON.parse judges the rest.
import { ImportError, parseJsonSafely } from './validate.ts';

export interface JsonPiece {
  /** The root member's key. */
  key: string;
  /** The element's index in a streamed list; -1 for a whole member. */
  index: number;
  text: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

type RootState = 'start' | 'keyOrEnd' | 'key' | 'colon' | 'value' | 'commaOrEnd' | 'done';
type ListState = 'valueOrEnd' | 'value' | 'commaOrEnd';

/** One JSON value being collected: a container, a string or a bare number/literal. */
class Capture {
  parts: string[] = [];
  depth = 0;
  inString = false;
  escaped = false;
  kind: 'container' | 'string' | 'bare';
  length = 0;

  constructor(first: number) {
    this.kind =
      first === QUOTE ? 'string' : first === 0x7b || first === 0x5b ? 'container' : 'bare';
  }

  /** Scans `s` from `i`; returns the index just after the value's end, or -1 when it goes on. */
  feed(s: string, i: number): number {
    const from = i;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.kind === 'string') return this.#take(s, from, i + 1);
        }
        continue;
      }
      if (this.kind === 'bare') {
        if (c === 0x2c || c === 0x7d || c === 0x5d || WS.has(c)) return this.#take(s, from, i);
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) return this.#take(s, from, i + 1);
      }
    }
    this.parts.push(s.slice(from));
    this.length += s.length - from;
    return -1;
  }

  #take(s: string, from: number, end: number): number {
    this.parts.push(s.slice(from, end));
    this.length += end - from;
    return end;
  }

  text(): string {
    return this.parts.length === 1 ? this.parts[0] : this.parts.join('');
  }
}

export class JsonScanner {
  #root: RootState = 'start';
  #list: ListState | null = null;
  #key = '';
  #index = 0;
  #capture: Capture | null = null;
  #keyCapture: Capture | null = null;
  readonly #streamed: (key: string) => boolean;
  readonly #emit: (piece: JsonPiece) => void;
  readonly #maxPiece: number;

  /** `streamed(key)`: whether the root member `key` is a list handed over element by element.
   * `maxPiece`: the longest piece (characters) accepted. */
  constructor(
    streamed: (key: string) => boolean,
    emit: (piece: JsonPiece) => void,
    maxPiece = Infinity,
  ) {
    this.#streamed = streamed;
    this.#emit = emit;
    this.#maxPiece = maxPiece;
  }

  /** The next chunk of text. */
  push(s: string): void {
    let i = 0;
    while (i < s.length) {
      if (this.#keyCapture) {
        const end = this.#keyCapture.feed(s, i);
        if (end < 0) return;
        this.#key = parseJsonSafely(this.#keyCapture.text(), false) as string;
        if (this.#key === '__proto__')
          throw new ImportError({ key: 'store.file.proto', params: { key: this.#key } });
        this.#keyCapture = null;
        this.#root = 'colon';
        i = end;
        continue;
      }
      if (this.#capture) {
        const end = this.#capture.feed(s, i);
        if (this.#capture.length > this.#maxPiece) this.#fail('store.file.badJson', 'too long');
        if (end < 0) return;
        const text = this.#capture.text();
        this.#capture = null;
        if (this.#list) {
          this.#emit({ key: this.#key, index: this.#index++, text });
          this.#list = 'commaOrEnd';
        } else {
          this.#emit({ key: this.#key, index: -1, text });
          this.#root = 'commaOrEnd';
        }
        i = end;
        continue;
      }
      const c = s.charCodeAt(i);
      if (WS.has(c)) {
        i++;
        continue;
      }
      if (this.#list) i = this.#inList(c, i);
      else i = this.#inRoot(c, i);
    }
  }

  #inList(c: number, i: number): number {
    const state = this.#list;
    if (c === 0x5d && state !== 'value') {
      this.#list = null;
      this.#root = 'commaOrEnd';
      return i + 1;
    }
    if (state === 'commaOrEnd') {
      if (c !== 0x2c) this.#fail('store.file.badJson', `unexpected “${String.fromCharCode(c)}”`);
      this.#list = 'value';
      return i + 1;
    }
    this.#capture = new Capture(c);
    return i;
  }

  #inRoot(c: number, i: number): number {
    switch (this.#root) {
      case 'start':
        if (c !== 0x7b) throw new ImportError({ key: 'store.file.notObject' });
        this.#root = 'keyOrEnd';
        return i + 1;
      case 'keyOrEnd':
      case 'key':
        if (c === 0x7d && this.#root === 'keyOrEnd') {
          this.#root = 'done';
          return i + 1;
        }
        if (c !== QUOTE) this.#fail('store.file.badJson', 'a key should come here');
        this.#keyCapture = new Capture(c);
        return i;
      case 'colon':
        if (c !== 0x3a) this.#fail('store.file.badJson', 'a “:” should come here');
        this.#root = 'value';
        return i + 1;
      case 'value':
        if (c === 0x5b && this.#streamed(this.#key)) {
          this.#list = 'valueOrEnd';
          this.#index = 0;
          return i + 1;
        }
        this.#capture = new Capture(c);
        return i;
      case 'commaOrEnd':
        if (c === 0x7d) this.#root = 'done';
        else if (c === 0x2c) this.#root = 'key';
        else this.#fail('store.file.badJson', `unexpected “${String.fromCharCode(c)}”`);
        return i + 1;
      case 'done':
        return this.#fail('store.file.badJson', 'text after the end of the data');
    }
  }

  #fail(key: 'store.file.badJson', detail: string): never {
    throw new ImportError({ key, params: { detail } });
  }

  /** The text has ended: throws when the root object is not complete. */
  end(): void {
    if (this.#root !== 'done') {
      if (this.#root === 'start') throw new ImportError({ key: 'store.file.notObject' });
      throw new ImportError({ key: 'store.file.truncated' });
    }
  }
}
