// The shell's status: offline readiness, cross-origin isolation, storage, and the update prompt.
import { Workbox } from 'workbox-window';
import { probeIsolation } from '../engine/bridge.ts';

const RELOAD_KEY = 'backprop-lab:isolation-reload';

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

export class AppStatus {
  isolated = $state(typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated);
  offlineReady = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  updateReady = $state(false);
  storage = $state<StorageInfo | null>(null);
  /** The page-to-worker shared memory round trip, once proven. */
  workerIsolated = $state<boolean | null>(null);
  /** Set when isolation could not be reached even after the one allowed reload. */
  isolationFailed = $state(false);
  #wb: Workbox | null = null;

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
    wb.addEventListener('waiting', () => (this.updateReady = true));
    wb.addEventListener('controlling', () => this.#maybeReloadForIsolation());
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
  }

  /** Starts the trainer worker and proves it shares memory with the page. */
  async checkWorker(): Promise<void> {
    try {
      const r = await probeIsolation();
      this.workerIsolated = r.pageIsolated && r.workerIsolated && r.sharedValue === 0x5eed;
    } catch {
      this.workerIsolated = false;
    }
  }

  /** One automatic reload when a service worker controls the page but isolation is missing; never a loop. */
  #maybeReloadForIsolation(): void {
    if (this.isolated) {
      sessionStorage.removeItem(RELOAD_KEY);
      return;
    }
    if (!navigator.serviceWorker.controller) return;
    if (sessionStorage.getItem(RELOAD_KEY)) {
      this.isolationFailed = true;
      return;
    }
    sessionStorage.setItem(RELOAD_KEY, '1');
    location.reload();
  }

  /** The user agreed: let the waiting service worker take over, then reload once it controls the page. */
  applyUpdate(): void {
    const wb = this.#wb;
    if (!wb) return;
    wb.addEventListener('controlling', () => location.reload());
    wb.messageSkipWaiting();
  }

  dismissUpdate(): void {
    this.updateReady = false;
  }

  async refreshStorage(): Promise<void> {
    if (!navigator.storage?.estimate) return;
    const [est, persisted] = await Promise.all([
      navigator.storage.estimate(),
      navigator.storage.persisted?.() ?? Promise.resolve(false),
    ]);
    this.storage = { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
  }

  async requestPersistence(): Promise<void> {
    if (navigator.storage?.persist) await navigator.storage.persist();
    await this.refreshStorage();
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
