// How the app is opened, beyond a plain visit: files opened from the file manager (launchQueue, the
// manifest's file_handlers), files shared from another app (share_target, parked by the service
// worker), files dropped anywhere, the manifest's shortcuts (`?sample=`, `?open=`) and shared lesson
// links (`#v=1&...&lesson=`). Each file goes where it belongs by what it is (file-route.ts). The page
// loads this module when one of those happens (launch-url.ts tells, at start).
import type {
  ParseOptions,
  RecipeSettings,
  SyntheticKind,
  SyntheticOptions,
} from '../../../workers/data/types.ts';
import { DEFAULT_PARSE_OPTIONS } from '../../../workers/data/types.ts';
import { TABLE_SAMPLES } from '../../../workers/data/samples.ts';
import { lessonParam } from './config-hash.ts';
import { routeFile } from './file-route.ts';
import { SHARED_CACHE, type Area, type LaunchParams } from './launch-url.ts';
import type { LinkMessage, SharedLesson } from './share-link.ts';

/** The data session's part the launcher drives (DatasetSession satisfies it). */
export interface LaunchData {
  loadFile(file: Blob & { name?: string }): Promise<void>;
  loadSample(id: string): Promise<void>;
  loadSynthetic(kind: SyntheticKind, options?: Partial<SyntheticOptions>): Promise<void>;
  reread(options: Partial<ParseOptions>): Promise<void>;
  update(patch: Partial<RecipeSettings>): Promise<void>;
}

/** The library's import (LibraryFiles satisfies it). */
export interface LaunchLibrary {
  importFile(file: File): Promise<unknown>;
}

/** The training session's part (TrainingSession satisfies it). */
export interface LaunchTraining {
  loadFromHash(hash: string): boolean;
}

export interface LauncherOptions {
  data: LaunchData;
  library: LaunchLibrary;
  training: LaunchTraining;
  /** Brings an area into view. */
  show: (area: Area) => void;
  /** The Cache Storage of the origin (tests pass a fake). */
  caches?: () => CacheStorage | undefined;
}

export interface LaunchMessage extends LinkMessage {
  /** 'alert' for a failure, 'status' for news. */
  tone: 'alert' | 'status';
}

export class Launcher {
  /** The last thing to tell about an opened file or link, or null. */
  message = $state.raw<LaunchMessage | null>(null);
  /** A file, link or shortcut is being opened. */
  busy = $state(false);

  readonly #o: LauncherOptions;

  constructor(options: LauncherOptions) {
    this.#o = options;
  }

  #say(m: LinkMessage, tone: LaunchMessage['tone']): void {
    this.message = { ...m, tone };
  }

  /** Opens what an address asks for: a shortcut, shared files, a lesson link. Returns whether it
   * loaded data (false: the app may load its starting sample). */
  async openUrl(url: URL): Promise<boolean> {
    const q = url.searchParams;
    const sample = q.get('sample');
    if (lessonParam(url.hash) !== null) return this.openLesson(url.hash);
    const shared = q.get('share-target');
    if (shared !== null) return (await this.openShared(shared)) > 0;
    if (sample !== null && TABLE_SAMPLES.some((s) => s.id === sample)) {
      this.#o.show('train');
      await this.#o.data.loadSample(sample);
      return true;
    }
    const open = q.get('open');
    if (open === 'library' || open === 'import') this.#o.show('library');
    else if (open === 'data') this.#o.show('data');
    return false;
  }

  /** Opens files: the first table in the data area, the app's own files through import, the rest
   * refused with a message. Returns how many were opened. */
  async open(files: readonly File[]): Promise<number> {
    if (files.length === 0) return 0;
    this.message = null;
    this.busy = true;
    let opened = 0;
    let table = false;
    try {
      for (const file of files) {
        const route = await routeFile(file);
        if (route.to === 'refuse') {
          this.#say(route.why, 'alert');
        } else if (route.to === 'data') {
          if (table) {
            this.#say({ key: 'launch.oneTable', params: { name: file.name } }, 'status');
            continue;
          }
          table = true;
          this.#o.show('data');
          await this.#o.data.loadFile(file);
          opened++;
        } else {
          this.#o.show('library');
          await this.#o.library.importFile(file);
          opened++;
        }
      }
    } finally {
      this.busy = false;
    }
    return opened;
  }

  /** The launchQueue's consumer: files from the file manager, or an address (a shortcut, a link)
   * opened in this window (launch_handler: focus-existing). */
  async consume(params: LaunchParams): Promise<void> {
    const handles = (params.files ?? []).filter((h) => h.kind === 'file' && h.getFile);
    if (handles.length) {
      const files = await Promise.all(handles.map((h) => (h.getFile as () => Promise<File>)()));
      await this.open(files);
      return;
    }
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- read once, not state
    if (params.targetURL) await this.openUrl(new URL(params.targetURL));
  }

  /** Opens the files another app shared (parked by the service worker under `id`), then forgets them. */
  async openShared(id: string): Promise<number> {
    const storage = (this.#o.caches ?? (() => globalThis.caches))();
    const files: File[] = [];
    if (storage) {
      const cache = await storage.open(SHARED_CACHE);
      const mine = (await cache.keys()).filter((r) => r.url.includes(`/shared/${id}/`));
      for (const req of mine) {
        const res = await cache.match(req);
        if (res) {
          const name = decodeURIComponent(res.headers.get('x-file-name') ?? 'shared.csv');
          const type = res.headers.get('content-type') ?? '';
          files.push(new File([await res.blob()], name, { type }));
        }
        await cache.delete(req);
      }
    }
    if (files.length === 0) {
      this.#say({ key: 'launch.sharedMissing' }, 'alert');
      return 0;
    }
    return this.open(files);
  }

  /** Opens a shared lesson link: its settings, then its data, prepared as the teacher's. Returns
   * whether it loaded data. */
  async openLesson(hash: string): Promise<boolean> {
    const param = lessonParam(hash);
    if (param === null) return false;
    this.busy = true;
    try {
      this.#o.training.loadFromHash(hash);
      // The link's codec loads only when a link brings a lesson.
      const { unpackLesson } = await import('./share-link.ts');
      const { lesson, problem, ignored } = await unpackLesson(param);
      if (!lesson) {
        this.#say(problem ?? { key: 'share.error.damaged' }, 'alert');
        return false;
      }
      this.#o.show('train');
      const loaded = await this.#loadLesson(lesson);
      if (ignored.length)
        this.#say({ key: 'share.opened.ignored', params: { fields: ignored.join(', ') } }, 'alert');
      else if (!loaded)
        this.#say(
          {
            key: 'share.opened.noData',
            params: { name: lesson.source.kind === 'file' ? lesson.source.name : '' },
          },
          'alert',
        );
      else this.#say({ key: 'share.opened' }, 'status');
      return loaded;
    } finally {
      this.busy = false;
    }
  }

  async #loadLesson(l: SharedLesson): Promise<boolean> {
    const d = this.#o.data;
    const s = l.source;
    if (s.kind === 'sample') await d.loadSample(s.id);
    else if (s.kind === 'synthetic') await d.loadSynthetic(s.synthetic, s.options);
    else if (l.data) {
      await d.loadFile(new File([l.data as Uint8Array<ArrayBuffer>], s.name, { type: s.type }));
      const defaults: Partial<ParseOptions> = {
        delimiter: DEFAULT_PARSE_OPTIONS.delimiter,
        decimalComma: DEFAULT_PARSE_OPTIONS.decimalComma,
        raggedRows: DEFAULT_PARSE_OPTIONS.raggedRows,
      };
      if (JSON.stringify(l.parse) !== JSON.stringify(defaults)) await d.reread(l.parse);
    } else return false;
    await d.update(l.settings);
    return true;
  }
}
