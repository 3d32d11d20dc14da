// A data problem as the user reads it: the data worker's problems carry a catalogue message; a problem
// the page makes from an error it did not understand keeps that error's own text.
import type { DataProblem } from '../../../workers/data/types.ts';
import { msgOf, type Msg } from '../../../workers/messages/index.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

/** The problem in the user's language. */
export function problemText(p: { msg?: Msg; message: string }): string {
  return p.msg ? i18n.msg(p.msg) : p.message;
}

/** A problem from an error a data worker call threw (a crash carries its message). */
export function errorProblem(e: unknown): DataProblem {
  const m = msgOf(e);
  const message = e instanceof Error ? e.message : String(e);
  return m ? { code: 'read-failed', message, msg: m } : { code: 'read-failed', message };
}
