// Storage failures, turned into messages a student understands. Used by both realms.

export type StoreErrorKind =
  'quota' | 'unavailable' | 'blocked' | 'closed' | 'not-found' | 'invalid' | 'unknown';

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.kind = kind;
  }
}

export const QUOTA_MESSAGE =
  'This device has no room left for Backprop Lab to save. Nothing you saved before was changed. ' +
  'Delete old runs or models in the Library (or export them to a file first), then try again.';

export const UNAVAILABLE_MESSAGE =
  'This browser does not let Backprop Lab save here (a private window, or storage switched off). ' +
  'You can still train and export, but your work lives only in this tab: export it before closing.';

export const CLOSED_MESSAGE =
  'The connection to this device\u2019s storage was closed and could not be reopened. Reload the page to keep saving.';

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
  return new StoreError(
    'unknown',
    `Saving on this device failed (${detail}). Your earlier work is unchanged; try again.`,
    {
      cause: e,
    },
  );
}
