// The only source of randomness in the engine: sfc32 seeded through splitmix32.
// Same seed, same stream, bit for bit, on every JavaScript engine (integer maths only, except
// gaussian(), which uses Math.log/Math.cos/Math.sqrt on the uniform stream).

export interface Rng {
  /** Next raw 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1), Box-Muller (one value per call, no hidden spare). */
  gaussian(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher-Yates shuffle of the first `length` entries of `a` in place (all of it by default). */
  shuffle(a: { length: number; [i: number]: number }, length?: number): void;
  /** The 4-word state, to save and restore a stream. */
  getState(): [number, number, number, number];
  setState(s: ArrayLike<number>): void;
  /** The state into `out` (4 words), without allocating: to undo an abandoned batch. */
  stateInto(out: Uint32Array): void;
}

/** splitmix32: spreads a small seed over 32 bits. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export function createRng(seed: number): Rng {
  const sm = { s: seed >>> 0 };
  let a = splitmix32(sm),
    b = splitmix32(sm),
    c = splitmix32(sm),
    d = splitmix32(sm);

  function nextU32(): number {
    // sfc32
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  for (let i = 0; i < 12; i++) nextU32(); // discard the warm-up outputs

  function uniform(): number {
    return nextU32() / 4294967296;
  }
  function gaussian(): number {
    // Box-Muller: u1 in (0, 1] so log never sees 0.
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  function int(n: number): number {
    return Math.floor(uniform() * n);
  }
  function shuffle(arr: { length: number; [i: number]: number }, length = arr.length): void {
    for (let i = length - 1; i > 0; i--) {
      const j = int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
  }
  return {
    nextU32,
    uniform,
    gaussian,
    int,
    shuffle,
    getState: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
    stateInto: (out) => {
      out[0] = a;
      out[1] = b;
      out[2] = c;
      out[3] = d;
    },
    setState: (s) => {
      a = s[0] | 0;
      b = s[1] | 0;
      c = s[2] | 0;
      d = s[3] | 0;
    },
  };
}
