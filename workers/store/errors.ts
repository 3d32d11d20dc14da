// Storage failures, turned into messages a student understands. Used by both realms.
import { MessageError, msg, type Msg } from '../messages/index.ts';

export type StoreErrorKind =
  'quota' | 'unavailable' | 'blocked' | 'closed' | 'not-found' | 'invalid' | 'unknown';

/** A storage failure: `kind` for the code, `msg` for the user (worded by the page, see
 * workers/messages). */
export class StoreError extends MessageError {
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, m: Msg, options?: { cause?: unknown }) {
    super(m);
    if (options && 'cause' in options) (this as { cause?: unknown }).cause = options.cause;
    this.name = 'StoreError';
    this.kind = kind;
  }
}

export const QUOTA_MESSAGE: Msg = msg('store.error.quota');
export const UNAVAILABLE_MESSAGE: Msg = msg('store.error.unavailable');
export const CLOSED_MESSAGE: Msg = msg('store.error.closed');

function errorName(e: unknown): string {
  if (
    e &&
    typeof e === 'object' &&
    'name' in e &&
    typeof (e as { name: unknown }).name === 'string'
  ) {
    return (e as { name: string }).name;
  }
  return '';
}

/** True for a quota failure, whatever shape the browser gives it (DOMException name or legacy code 22). */
export function isQuotaError(e: unknown): boolean {
  if (e instanceof StoreError) return e.kind === 'quota';
  const name = errorName(e);
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  const code =
    e && typeof e === 'object' && 'code' in e ? (e as { code: unknown }).code : undefined;
  return code === 22 || code === 1014;
}

/** True when the connection was closed underneath (tab in the background, browser cleanup, db.close()). */
export function isClosedError(e: unknown): boolean {
  const name = errorName(e);
  if (name === 'InvalidStateError') return true;
  if (name === 'UnknownError') return true; // Safari reports a dropped connection this way
  const msg = e instanceof Error ? e.message : String(e);
  return (
    /connection is closing|database connection is closed|closed/i.test(msg) && name !== 'StoreError'
  );
}

/** Maps any storage exception to a StoreError with a clear message (StoreErrors pass through). */
export function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (isQuotaError(e)) return new StoreError('quota', QUOTA_MESSAGE, { cause: e });
  if (isClosedError(e)) return new StoreError('closed', CLOSED_MESSAGE, { cause: e });
  const detail = e instanceof Error ? e.message : String(e);
  return new StoreError('unknown', msg('store.error.failed', { detail }), { cause: e });
}
