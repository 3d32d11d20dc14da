// A checkpoint's numbers in transit and at rest. postMessage and IndexedDB clone a Float64Array as
// one memory copy, while a plain array of 10^5 numbers costs the receiving thread 100s of ms per
// checkpoint (each number is cloned as its own value). Float64 holds float32 and float64 values
// exactly, so packing never changes a weight. Plain arrays remain the JSON form (files, and records
// written before packing), and every reader gets the plain form back.

import type { ResumeState, SerializedNetwork, WatchState } from './types.ts';

/** Numbers as packed (Float64Array) or plain (JSON files, older records). */
export type Floats = number[] | Float64Array;

/** A network whose parameters may be packed. A SerializedNetwork is one too. */
export interface PackedNetwork extends Omit<SerializedNetwork, 'params'> {
  params: { W: Floats; b: Floats }[];
}

/** The epoch watch's state whose best parameters may be packed. A WatchState is one too. */
export interface PackedWatchState extends Omit<WatchState, 'bestParams'> {
  bestParams: Floats | null;
}

/** A trainer's resume state whose long arrays may be packed. A ResumeState is one too. */
export interface PackedResumeState extends Omit<
  ResumeState,
  'perm' | 'v' | 's' | 'backup' | 'watch'
> {
  perm: Floats;
  v: Floats;
  s: Floats;
  backup: Floats | null;
  watch?: PackedWatchState;
}

export function isFloats(x: unknown): x is Floats {
  return Array.isArray(x) || x instanceof Float64Array;
}

/** A packed copy (never shares memory with its input). */
export function pack(x: Floats): Float64Array {
  return x instanceof Float64Array ? x.slice() : Float64Array.from(x);
}

function copySpec(n: PackedNetwork): SerializedNetwork['spec'] {
  const { inputs, outputs, output, hidden } = n.spec;
  return { inputs, outputs, output, hidden: hidden.map((h) => ({ ...h })) };
}

/** A packed copy of a network. */
export function packNetwork(n: PackedNetwork): PackedNetwork {
  return {
    format: n.format,
    version: n.version,
    spec: copySpec(n),
    params: n.params.map((p) => ({ W: pack(p.W), b: pack(p.b) })),
  };
}

/** The plain (JSON) copy of a network, packed or not. */
export function plainNetwork(n: PackedNetwork): SerializedNetwork {
  return {
    format: n.format,
    version: n.version,
    spec: copySpec(n),
    params: n.params.map((p) => ({ W: Array.from(p.W), b: Array.from(p.b) })),
  };
}

/** A packed copy of a resume state. */
export function packResume(r: PackedResumeState): PackedResumeState {
  const { watch, ...rest } = r;
  const out: PackedResumeState = {
    ...rest,
    rng: [...r.rng],
    sums: { ...r.sums },
    perm: pack(r.perm),
    v: pack(r.v),
    s: pack(r.s),
    backup: r.backup ? pack(r.backup) : null,
  };
  if (watch) out.watch = { ...watch, bestParams: watch.bestParams ? pack(watch.bestParams) : null };
  return out;
}

/** The plain (JSON) copy of a resume state, packed or not. */
export function plainResume(r: PackedResumeState): ResumeState {
  const { watch, ...rest } = r;
  const out: ResumeState = {
    ...rest,
    rng: [...r.rng],
    sums: { ...r.sums },
    perm: Array.from(r.perm),
    v: Array.from(r.v),
    s: Array.from(r.s),
    backup: r.backup ? Array.from(r.backup) : null,
  };
  if (watch)
    out.watch = { ...watch, bestParams: watch.bestParams ? Array.from(watch.bestParams) : null };
  return out;
}
