// Tests only: a worker's message in English, as the page would show it (intl-messageformat over the
// English catalogue), so a test can read what a student reads.
import { IntlMessageFormat } from 'intl-messageformat';
import en from '../messages/en/index.ts';
import { msgOf, type Msg } from '../messages/index.ts';

export function english(m: Msg): string {
  const source = (en as Record<string, string>)[m.key];
  if (source === undefined) throw new Error(`No English message for ${m.key}`);
  return String(new IntlMessageFormat(source, 'en').format(m.params));
}

/** The English message of a thrown MessageError (or the error's own message). */
export function englishOf(e: unknown): string {
  const m = msgOf(e);
  return m ? english(m) : e instanceof Error ? e.message : String(e);
}
