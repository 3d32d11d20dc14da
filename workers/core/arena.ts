// One memory for a whole training session. Every buffer (data, parameters, gradients, caches, masks,
// optimizer state, batch buffers, control and metrics blocks) is planned once, at a 16-byte-aligned
// byte offset, and viewed as a row-major typed array. The layout is plain data, so another thread or
// the page can build the same views on the same (shared) buffer.

export type BufferKind = 'f32' | 'i32' | 'u32' | 'f64';

export interface BufferEntry {
  /** Byte offset into the memory (multiple of 16). */
  offset: number;
  rows: number;
  cols: number;
  kind: BufferKind;
}

export interface ArenaLayout {
  /** Total bytes used (a multiple of 64 KiB pages is allocated). */
  bytes: number;
  buffers: Record<string, BufferEntry>;
}

const BYTES: Record<BufferKind, number> = { f32: 4, i32: 4, u32: 4, f64: 8 };
const ALIGN = 16;
export const PAGE_BYTES = 65536;

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** Collects buffers in order; each starts on a 16-byte boundary. Offset 0..63 is left empty (a null guard). */
export class LayoutBuilder {
  private next = 64;
  readonly buffers: Record<string, BufferEntry> = {};

  add(name: string, rows: number, cols: number, kind: BufferKind = 'f32'): BufferEntry {
    if (this.buffers[name]) throw new Error(`Arena buffer "${name}" is planned twice.`);
    if (!(rows >= 0 && cols >= 0 && Number.isInteger(rows) && Number.isInteger(cols)))
      throw new Error(`Arena buffer "${name}" has an invalid shape ${rows} x ${cols}.`);
    const e: BufferEntry = { offset: this.next, rows, cols, kind };
    this.buffers[name] = e;
    this.next = align(this.next + rows * cols * BYTES[kind]);
    return e;
  }

  /** A view inside an already planned buffer (e.g. W[1] inside the contiguous parameter block). */
  addInside(
    name: string,
    parent: BufferEntry,
    byteOffsetInParent: number,
    rows: number,
    cols: number,
  ): BufferEntry {
    if (this.buffers[name]) throw new Error(`Arena buffer "${name}" is planned twice.`);
    const e: BufferEntry = {
      offset: parent.offset + byteOffsetInParent,
      rows,
      cols,
      kind: parent.kind,
    };
    this.buffers[name] = e;
    return e;
  }

  finish(): ArenaLayout {
    return { bytes: this.next, buffers: { ...this.buffers } };
  }
}

/** The minimal WebAssembly.Memory surface used here (core compiles without DOM/WebWorker types). */
export interface MemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface MemoryCtor {
  new (d: { initial: number; maximum?: number; shared?: boolean }): MemoryLike;
}

export interface Arena {
  /** The WebAssembly.Memory when one could be created (kernels import it), else null. */
  memory: MemoryLike | null;
  buffer: ArrayBuffer | SharedArrayBuffer;
  shared: boolean;
  layout: ArenaLayout;
  /** The whole memory as float32: kernel offsets are indexes into it. */
  heap: Float32Array;
  f32(name: string): Float32Array;
  i32(name: string): Int32Array;
  u32(name: string): Uint32Array;
  f64(name: string): Float64Array;
  /** Float32 element offset of a buffer in `heap`. */
  at(name: string): number;
}

export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined';
}

/** Allocates the arena: a shared WebAssembly.Memory when SharedArrayBuffer exists, else a plain one. */
export function createArena(layout: ArenaLayout, opts: { shared?: boolean } = {}): Arena {
  const pages = Math.max(1, Math.ceil(layout.bytes / PAGE_BYTES));
  if (pages > 65536)
    throw new Error(
      `This run needs ${(layout.bytes / 2 ** 30).toFixed(1)} GiB of memory, more than a browser tab can have. Use fewer examples, a smaller batch or a smaller network.`,
    );
  const wantShared = (opts.shared ?? true) && canShareMemory();
  const WasmMemory = (globalThis as unknown as { WebAssembly?: { Memory: MemoryCtor } }).WebAssembly
    ?.Memory;
  let memory: MemoryLike | null = null;
  let buffer: ArrayBuffer | SharedArrayBuffer;
  if (WasmMemory) {
    memory = new WasmMemory({ initial: pages, maximum: pages, shared: wantShared });
    buffer = memory.buffer;
  } else {
    buffer = wantShared
      ? new SharedArrayBuffer(pages * PAGE_BYTES)
      : new ArrayBuffer(pages * PAGE_BYTES);
  }
  return { memory, ...viewArena(buffer, layout) };
}

export type ArenaViews = Omit<Arena, 'memory'>;

/** Views over an existing buffer laid out by `layout` (the page side, or a second worker). */
export function viewArena(
  buffer: ArrayBuffer | SharedArrayBuffer,
  layout: ArenaLayout,
): ArenaViews {
  const entry = (name: string, kind: BufferKind): BufferEntry => {
    const e = layout.buffers[name];
    if (!e) throw new Error(`The arena has no buffer "${name}".`);
    if (e.kind !== kind) throw new Error(`Arena buffer "${name}" is ${e.kind}, not ${kind}.`);
    return e;
  };
  return {
    buffer,
    shared: typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer,
    layout,
    heap: new Float32Array(buffer, 0, Math.floor(buffer.byteLength / 4)),
    f32: (n) => {
      const e = entry(n, 'f32');
      return new Float32Array(buffer, e.offset, e.rows * e.cols);
    },
    i32: (n) => {
      const e = entry(n, 'i32');
      return new Int32Array(buffer, e.offset, e.rows * e.cols);
    },
    u32: (n) => {
      const e = entry(n, 'u32');
      return new Uint32Array(buffer, e.offset, e.rows * e.cols);
    },
    f64: (n) => {
      const e = entry(n, 'f64');
      return new Float64Array(buffer, e.offset, e.rows * e.cols);
    },
    at: (n) => {
      const e = layout.buffers[n];
      if (!e) throw new Error(`The arena has no buffer "${n}".`);
      return e.offset / 4;
    },
  };
}
