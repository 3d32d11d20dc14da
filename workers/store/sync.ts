// Coordination between tabs and workers: Web Locks (one writer at a time, live runs) and
// BroadcastChannel (the other tabs hear about changes). Both degrade to no-ops where missing.

interface LockManagerLike {
  request<T>(name: string, cb: () => Promise<T>): Promise<T>;
  request<T>(
    name: string,
    options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    cb: (lock: unknown) => Promise<T>,
  ): Promise<T>;
  query(): Promise<{ held?: Array<{ name?: string }>; pending?: Array<{ name?: string }> }>;
}

function locks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: unknown } }).navigator;
  const l = nav?.locks as LockManagerLike | undefined;
  return l && typeof l.request === 'function' ? l : null;
}

/** Runs `fn` holding the exclusive lock `name` (across tabs and workers of this origin). */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const l = locks();
  if (!l) return fn();
  return l.request(name, fn);
}

/** Locks held by this realm (the Web Locks query also sees other tabs'; this covers realms without it). */
const heldHere = new Set<string>();

/** Takes the lock `name` and keeps it until the returned release function is called. */
export async function holdLock(name: string): Promise<() => void> {
  const l = locks();
  heldHere.add(name);
  if (!l) {
    return () => heldHere.delete(name);
  }
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await new Promise<void>((acquired, failed) => {
    l.request(name, async () => {
      acquired();
      await released;
    }).catch(failed);
  });
  return () => {
    heldHere.delete(name);
    release();
  };
}

/** True when some tab or worker of this origin holds the lock `name`. */
export async function isLockHeld(name: string): Promise<boolean> {
  if (heldHere.has(name)) return true;
  const l = locks();
  if (!l) return false;
  const state = await l.query();
  return (state.held ?? []).some((h) => h.name === name);
}

export type ChannelMessage = { type: 'changed'; stores: string[] };

/** A BroadcastChannel, or null where the realm has none. */
export function openChannel(
  name: string,
  onMessage: (m: ChannelMessage) => void,
): { post(m: ChannelMessage): void; close(): void } | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const ch = new BroadcastChannel(name);
  ch.onmessage = (e: MessageEvent<unknown>) => {
    const d = e.data as Partial<ChannelMessage> | null;
    if (d && d.type === 'changed' && Array.isArray(d.stores))
      onMessage({ type: 'changed', stores: d.stores.map(String) });
  };
  return {
    post: (m) => ch.postMessage(m),
    close: () => ch.close(),
  };
}
