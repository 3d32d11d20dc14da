// Messages from the workers: a worker never writes a sentence a user reads; it returns (or throws) a
// message key with parameters, and the page formats it in the user's language from the catalogues
// (src/lib/i18n). The keys are those of this folder's English catalogue; es/ and de/ must have the
// same keys (a type error otherwise, see src/lib/i18n/messages/*/index.ts).
import type workerEn from './en/index.ts';

export type WorkerMessageKey = keyof typeof workerEn;
/** Values a message may interpolate. Numbers are formatted with Intl in the user's locale. */
export type MsgParams = Record<string, string | number | boolean | Date>;

/** A message for the user: a catalogue key and its parameters. Plain data (structured-cloneable). */
export interface Msg {
  key: WorkerMessageKey;
  params?: MsgParams;
}

export function msg(key: WorkerMessageKey, params?: MsgParams): Msg {
  return params ? { key, params } : { key };
}

/** An error whose text the page formats: `msg` says what happened and what to do. `message` keeps
 *  the key and parameters for logs and tests (never shown to a user). */
export class MessageError extends Error {
  readonly msg: Msg;
  constructor(m: Msg) {
    super(`${m.key}${m.params ? ` ${JSON.stringify(m.params)}` : ''}`);
    this.name = 'MessageError';
    this.msg = m;
  }
}

export function isMsg(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string';
}

/** The Msg inside an error that crossed a worker boundary (see comlink.ts), or null. */
export function msgOf(e: unknown): Msg | null {
  const m = (e as { msg?: unknown } | null)?.msg;
  return isMsg(m) ? m : null;
}
