// The shell's status: offline readiness, cross-origin isolation, storage, version, the update prompt
// and the kernel threads training uses (threads.svelte.ts).
import { Workbox } from 'workbox-window';
import { probeIsolation } from '../engine/bridge.ts';
import { ThreadStatus } from './threads.svelte.ts';
import { whenIdle } from './idle.ts';

const RELOAD_KEY = 'backprop-lab:isolation-reload';
/** How often a long-lived tab asks the server whether a new version exists. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

/** What the page-to-worker shared memory round trip found. */
export interface WorkerProbe {
  pageIsolated: boolean;
  workerIsolated: boolean;
  /** The value the worker wrote into the SharedArrayBuffer, as read back by the page (null: no SAB). */
  sharedValue: number | null;
}

export type UpdateCheck = 'idle' | 'checking' | 'none' | 'ready' | 'failed';

export type IsolationAction = 'ok' | 'wait' | 'reload' | 'failed';

/**
 * What to do about cross-origin isolation, given the page's state. The service worker adds the
 * headers, so a page it controls should be isolated; if it is not, reload once, and only once per tab.
 */
export function isolationAction(s: {
  isolated: boolean;
  controlled: boolean;
  alreadyReloaded: boolean;
}): IsolationAction {
  if (s.isolated) return 'ok';
  if (!s.controlled) return 'wait';
  return s.alreadyReloaded ? 'failed' : 'reload';
}

export const PROBE_VALUE = 0x5eed;

export class AppStatus {
  readonly version: string = __APP_VERSION__;
  isolated = $state(typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated);
  offlineReady = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** A new service worker is installed and waits for the user's consent. */
  updateReady = $state(false);
  /** The user said "Later": the banner hides, the header keeps a way back. */
  updateDismissed = $state(false);
  updateCheck = $state<UpdateCheck>('idle');
  storage = $state<StorageInfo | null>(null);
  probe = $state<WorkerProbe | null>(null);
  /** The page-to-worker shared memory round trip, once proven (null while checking). */
  workerIsolated = $derived(
    this.probe === null
      ? null
      : this.probe.pageIsolated &&
          this.probe.workerIsolated &&
          this.probe.sharedValue === PROBE_VALUE,
  );
  /** The kernel threads (the worker's measured choice and the user's cap). */
  readonly threads = new ThreadStatus();
  /** Set when isolation could not be reached even after the one allowed reload. */
  isolationFailed = $state(false);
  #wb: Workbox | null = null;
  #reloading = false;
  #applying = false;

  constructor() {
    register(this);
  }

  get showUpdatePrompt(): boolean {
    return this.updateReady && !this.updateDismissed;
  }

  async start(): Promise<void> {
    window.addEventListener('online', () => (this.online = true));
    window.addEventListener('offline', () => (this.online = false));
    void this.refreshStorage();
    void this.checkWorker();
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) {
      this.isolationFailed = !this.isolated;
      return;
    }
    const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
    this.#wb = wb;
    wb.addEventListener('waiting', () => {
      this.updateReady = true;
      this.updateDismissed = false;
      this.updateCheck = 'ready';
    });
    wb.addEventListener('controlling', (e) => {
      // A new version took over from another tab: this page's code is now older than its service
      // worker's cache, so offer the reload (still only with the user's consent).
      if (e.isUpdate && !this.#applying) {
        this.updateReady = true;
        this.updateDismissed = false;
      }
      this.#maybeReloadForIsolation();
    });
    wb.addEventListener('activated', (e) => {
      if (!e.isUpdate) this.offlineReady = true;
    });
    try {
      await wb.register();
    } catch {
      this.isolationFailed = !this.isolated;
      return;
    }
    const reg = await navigator.serviceWorker.ready;
    if (reg.active) this.offlineReady = true;
    this.#maybeReloadForIsolation();
    // A tab left open for hours (a long training run) still learns about new versions.
    setInterval(() => {
      if (document.visibilityState === 'visible' && navigator.onLine) void this.checkForUpdate();
    }, UPDATE_CHECK_INTERVAL_MS);
  }

  /** Starts the trainer worker and proves it shares memory with the page; then its threads. */
  async checkWorker(): Promise<void> {
    try {
      this.probe = await probeIsolation();
    } catch {
      this.probe = { pageIsolated: this.isolated, workerIsolated: false, sharedValue: null };
      return;
    }
    await this.threads.start();
  }

  /** One automatic reload when a service worker controls the page but isolation is missing; never a loop. */
  #maybeReloadForIsolation(): void {
    const action = isolationAction({
      isolated: this.isolated,
      controlled: navigator.serviceWorker.controller !== null,
      alreadyReloaded: sessionStorage.getItem(RELOAD_KEY) !== null,
    });
    if (action === 'ok') sessionStorage.removeItem(RELOAD_KEY);
    else if (action === 'failed') this.isolationFailed = true;
    else if (action === 'reload' && !this.#reloading) {
      this.#reloading = true;
      sessionStorage.setItem(RELOAD_KEY, '1');
      location.reload();
    }
  }

  /** Asks the server whether a new version exists; a found one shows the prompt (never reloads). */
  async checkForUpdate(): Promise<void> {
    if (this.updateReady) {
      this.updateDismissed = false;
      this.updateCheck = 'ready';
      return;
    }
    const wb = this.#wb;
    if (!wb) {
      this.updateCheck = 'failed';
      return;
    }
    this.updateCheck = 'checking';
    try {
      await wb.update();
      const reg = await navigator.serviceWorker.getRegistration(import.meta.env.BASE_URL);
      if (reg?.waiting) {
        this.updateReady = true;
        this.updateCheck = 'ready';
      } else if (reg?.installing) {
        // Found and still installing: the 'waiting' event flips the state to 'ready'.
        const sw = reg.installing;
        sw.addEventListener('statechange', () => {
          if (sw.state === 'installed' && reg.waiting === sw) {
            this.updateReady = true;
            this.updateDismissed = false;
            this.updateCheck = 'ready';
          } else if (sw.state === 'redundant' && this.updateCheck === 'checking')
            this.updateCheck = 'failed';
        });
      } else {
        this.updateCheck = 'none';
      }
    } catch {
      this.updateCheck = 'failed';
    }
  }

  /** The user agreed: let the waiting service worker take over, then reload once it controls the page. */
  applyUpdate(): void {
    const wb = this.#wb;
    if (!wb) return;
    this.#applying = true;
    let reloaded = false;
    const reload = () => {
      if (reloaded) return;
      reloaded = true;
      location.reload();
    };
    wb.addEventListener('controlling', reload);
    void navigator.serviceWorker.getRegistration(import.meta.env.BASE_URL).then((reg) => {
      // Another tab already let it take over: there is nothing waiting, just reload into it.
      if (!reg?.waiting) reload();
    });
    wb.messageSkipWaiting();
  }

  dismissUpdate(): void {
    this.updateDismissed = true;
  }

  async refreshStorage(): Promise<void> {
    if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return;
    const [est, persisted] = await Promise.all([
      navigator.storage.estimate(),
      navigator.storage.persisted?.() ?? Promise.resolve(false),
    ]);
    this.storage = { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
  }

  /** Asks the browser to keep this origin's data under storage pressure; returns whether it agreed. */
  async requestPersistence(): Promise<boolean> {
    let granted = false;
    if (typeof navigator !== 'undefined' && navigator.storage?.persist)
      granted = await navigator.storage.persist();
    await this.refreshStorage();
    return granted;
  }
}

let current: AppStatus | null = null;
/** The app has one status object (made in main.ts); the helpers below reach it without props. */
function register(status: AppStatus): void {
  current = status;
}

let refreshing: Promise<void> | null = null;
/** Re-reads storage usage into the header once the page is idle; call after saving or deleting data.
 *  Writes come in bursts (a run's start writes its data, its record and its first checkpoint) and
 *  each estimate asks the browser: the calls made before the read share it. Never throws. */
export function refreshStorage(): Promise<void> {
  refreshing ??= whenIdle().then(async () => {
    refreshing = null;
    try {
      await current?.refreshStorage();
    } catch {
      // An estimate that fails leaves the last known line in place.
    }
  });
  return refreshing;
}

/** Asks for persistent storage (e.g. on the first save) and refreshes the header; false if refused. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await current?.requestPersistence()) ?? false;
  } catch {
    return false;
  }
}
