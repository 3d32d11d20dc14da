// What the page checks at start, before anything heavy loads: whether the address or a launch asks
// the launcher (launch.svelte.ts, loaded only then) to open something: a shortcut (`?sample=`,
// `?open=`), files shared from another app (`?share-target=`) or a lesson link (`#...&lesson=`).
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import { lessonParam } from './config-hash.ts';

export type Area = 'data' | 'train' | 'library';

/** Where the service worker parks shared files until the page picks them up (sw.ts writes it). */
export const SHARED_CACHE = 'backprop-lab-shared';
/** The query parameters the launcher reads (and the page then removes from the address). */
export const LAUNCH_PARAMS = ['sample', 'open', 'share-target'] as const;

/** The File System Access handles a launch hands over (only files are opened). */
export interface LaunchHandle {
  kind: string;
  getFile?: () => Promise<File>;
}
export interface LaunchParams {
  readonly targetURL?: string;
  readonly files?: readonly LaunchHandle[];
}

declare global {
  interface Window {
    /** File Handling API: the files and address an installed app was launched with. */
    launchQueue?: { setConsumer(consumer: (params: LaunchParams) => void): void };
  }
}

/** Whether this address brings its own data (so the app does not load its starting sample). */
export function bringsData(url: URL): boolean {
  const q = url.searchParams;
  return (
    lessonParam(url.hash) !== null ||
    (q.has('sample') && TABLE_SAMPLES.some((s) => s.id === q.get('sample'))) ||
    q.has('share-target')
  );
}

/** Whether this address asks the launcher for anything. */
export function asksLauncher(url: URL): boolean {
  return lessonParam(url.hash) !== null || LAUNCH_PARAMS.some((p) => url.searchParams.has(p));
}

/** Whether a launch only repeats the address the page opened with (the browser hands the first
 * launch to the queue too; the page has handled that address already). */
export function repeatsStart(params: LaunchParams, opened: URL): boolean {
  return !params.files?.length && params.targetURL === opened.href;
}

/** The address without the launcher's parameters (so a reload does not open them again). */
export function withoutLaunchParams(url: URL): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => part && !(LAUNCH_PARAMS as readonly string[]).includes(part.split('=')[0]));
  return `${url.pathname}${kept.length ? `?${kept.join('&')}` : ''}${url.hash}`;
}
