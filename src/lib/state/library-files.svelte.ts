// The library's files: a model (also for TensorFlow.js), a run, everything, and a lesson pack go out
// as files; any of them comes back in. Imports and exports run in the store worker (a big backup never
// holds the page), or on the page when storage lives in this tab's memory. The Library
// (library.svelte.ts) holds one as `files` and shares its store, its messages and its links to the
// training and data sessions with it.
import type { LabStore } from '../../../workers/store/store.ts';
import { getModel } from '../../../workers/store/models.ts';
import { createFileJobs, type FileJobs } from '../../../workers/store/api.ts';
import type {
  ImportProgress,
  ImportReport,
  ImportedLesson,
  Refusal,
} from '../../../workers/store/file-import.ts';
import { safeFileName } from '../../../workers/store/file-export.ts';
import { toTfjsLayers } from '../../../workers/store/tfjs.ts';
import { MessageError, msgOf } from '../../../workers/messages/index.ts';
import { workerJobs } from '../engine/store-bridge.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import type { DataLink } from './data-link.ts';
import type { TrainingLink } from './library.svelte.ts';

/** Hands a file to the user (the download helper in the app, a collector in tests). */
export type Save = (data: BlobPart, name: string, type?: string) => void;

/** What the files share with the Library. */
export interface LibraryFilesHost {
  /** Runs `fn` with the open store; clears the last error, and a failure becomes it. */
  guard<T>(fn: (store: LabStore) => Promise<T>): Promise<T | undefined>;
  /** The last success worth saying (role="status"), or null. */
  say(notice: string | null): void;
  /** The last failure (role="alert"), or null. */
  fail(error: string | null): void;
  /** Reads the lists again after an import. */
  refresh(): Promise<void>;
  training(): TrainingLink | null;
  data(): DataLink | null;
}

/** An import in progress: the file's name and how far it got. */
export interface Importing {
  name: string;
  progress: ImportProgress | null;
}

/** Records an import left out: the file's name, how many, and the first ones with their reasons. */
export interface LeftOut {
  name: string;
  count: number;
  items: Refusal[];
}

const STORES = ['models', 'runs', 'checkpoints', 'datasets'] as const;

/** "3 models, 20,000 runs and 1 dataset" in the current language. */
export function countsText(c: { models: number; runs: number; datasets: number }): string {
  const parts = [
    c.models ? t('files.count.models', { count: c.models }) : '',
    c.runs ? t('files.count.runs', { count: c.runs }) : '',
    c.datasets ? t('files.count.datasets', { count: c.datasets }) : '',
  ].filter(Boolean);
  return parts.length ? i18n.list(parts) : t('files.count.nothing');
}

export class LibraryFiles {
  /** The last lesson pack opened (its note is shown as text). */
  lesson = $state.raw<ImportedLesson | null>(null);
  /** The import in progress, or null. */
  importing = $state.raw<Importing | null>(null);
  /** What the last import left out, or null. */
  leftOut = $state.raw<LeftOut | null>(null);
  /** Where the jobs run; by default the store worker, or this page when storage is in memory or
   * there are no workers (tests). */
  jobs: FileJobs | null = null;

  readonly #host: LibraryFilesHost;
  #local: { store: LabStore; jobs: FileJobs } | null = null;

  constructor(host: LibraryFilesHost) {
    this.#host = host;
  }

  #jobsFor(store: LabStore): FileJobs {
    if (this.jobs) return this.jobs;
    if (!store.inMemory && typeof Worker !== 'undefined') return workerJobs;
    if (this.#local?.store !== store) this.#local = { store, jobs: createFileJobs(() => store) };
    return this.#local.jobs;
  }

  /** After the worker wrote: this tab's lists and the other tabs hear of it. */
  #announce(store: LabStore, jobs: FileJobs): void {
    if (jobs === workerJobs) store.announce([...STORES]);
  }

  async exportModel(id: string, save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const f = await this.#jobsFor(s).exportModel(s.name, id);
      save(f.blob, f.name);
    });
  }

  /** model.json (with the feature names, class labels and recipe as userDefinedMetadata) and
   * weights.bin, in one zip. */
  async exportTfjs(id: string, save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const m = await getModel(s, id);
      if (!m) throw new MessageError({ key: 'store.model.gone' });
      const weights = safeFileName(m.name, 'weights.bin');
      const e = toTfjsLayers(m.network, weights, m);
      const { zipFiles } = await import('../../../workers/store/zip.ts');
      const zip = zipFiles([
        { name: safeFileName(m.name, 'tfjs.json'), data: JSON.stringify(e.modelJson) },
        { name: weights, data: e.weights },
      ]);
      save(zip, safeFileName(m.name, 'tfjs.zip'), 'application/zip');
    });
  }

  async exportRun(id: string, save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const f = await this.#jobsFor(s).exportRun(s.name, id);
      save(f.blob, f.name);
    });
  }

  /** The backup of everything; records that would not import back are left out and named. */
  async exportAll(save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const backup = await this.#jobsFor(s).exportBackup(s.name);
      save(backup.blob, backup.name);
      if (backup.skipped.length)
        this.#host.fail(
          t('files.export.skipped', {
            count: backup.skipped.length,
            list: backup.skipped
              .slice(0, 5)
              .map((x) => `“${x.name}”: ${i18n.msg(x.reason)}`)
              .join(' '),
          }),
        );
    });
  }

  /** Whether a lesson pack can be made now: a dropped file is loaded (generated samples have no file). */
  get canMakeLesson(): boolean {
    return !!this.#host.data()?.file;
  }

  /** A lesson pack: the loaded file's bytes, its data settings, the training settings and a note. */
  async exportLesson(title: string, note: string, save: Save): Promise<void> {
    this.#host.fail(null);
    const data = this.#host.data();
    if (!data?.file) {
      this.#host.fail(i18n.msg({ key: 'store.export.noData' }));
      return;
    }
    const file = data.file;
    await this.#host.guard(async (s) => {
      const cfg = this.#host.training()?.form.config ?? null;
      const f = await this.#jobsFor(s).exportLesson({
        title: title.trim() || 'Lesson',
        note,
        dataset: { name: data.sourceName ?? 'data.csv', type: file.type || 'text/csv', file },
        recipeSettings: data.recipe ? $state.snapshot(data.recipe.settings) : null,
        config: cfg ? $state.snapshot(cfg) : null,
      });
      save(f.blob, f.name);
      this.#host.say(t('files.export.lesson', { title: title.trim() || 'Lesson' }));
    });
  }

  /** Stops the import in progress after its current step (what was stored stays). */
  cancelImport(): void {
    const s = this.importing;
    if (!s) return;
    const jobs = this.jobs ?? workerJobs;
    jobs.cancelImport();
    this.#local?.jobs.cancelImport();
  }

  /** Checks the size, reads, checks and stores the file (a backup record by record, never
   * overwriting), with progress; then says what was imported and what was left out. */
  async importFile(file: File): Promise<ImportReport | undefined> {
    this.#host.say(null);
    this.leftOut = null;
    return this.#host.guard(async (s) => {
      const jobs = this.#jobsFor(s);
      let report: ImportReport;
      this.importing = { name: file.name, progress: null };
      try {
        report = await jobs.importFile(s.name, file, (progress) => {
          if (this.importing) this.importing = { name: file.name, progress };
        });
      } catch (e) {
        const m = msgOf(e);
        if (m)
          throw new Error(t('files.import.failed', { name: file.name, reason: i18n.msg(m) }), {
            cause: e,
          });
        throw e;
      } finally {
        this.importing = null;
        this.#announce(s, jobs);
      }
      if (report.refusedCount)
        this.leftOut = { name: file.name, count: report.refusedCount, items: report.refused };
      const renamed = report.renamed.map((r) => t('files.import.renamed', r));
      const done = t(report.cancelled ? 'files.import.cancelled' : 'files.import.done', {
        name: file.name,
        counts: countsText(report.counts),
      });
      this.#host.say(
        renamed.length
          ? `${done} ${t('files.import.renamedAll', { list: i18n.list(renamed) })}`
          : done,
      );
      await this.#host.refresh();
      if (report.lesson) await this.#openLesson(report.lesson);
      return report;
    });
  }

  /** A lesson pack: its note shown, its settings in the training form, its data loaded with its
   * data settings (a target its data lacks is said, and left unchosen). */
  async #openLesson(lesson: ImportedLesson): Promise<void> {
    this.lesson = lesson;
    const form = this.#host.training()?.form;
    if (lesson.config && form) {
      form.load(lesson.config);
      // The teacher's settings win over the suggestions made for new data.
      if ('touched' in form) form.touched = true;
    }
    const data = this.#host.data();
    if (!data?.loadFile) return;
    const d = lesson.dataset;
    await data.loadFile(new File([d.bytes.slice().buffer], d.name, { type: d.type }));
    const settings = lesson.recipeSettings;
    if (!settings || !data.useSettings) return;
    const columns = data.report?.columns.map((c) => c.name);
    if (settings.target !== null && columns && !columns.includes(settings.target)) {
      this.#host.fail(t('files.lesson.noTarget', { target: settings.target }));
      await data.useSettings({ ...settings, target: null });
      return;
    }
    await data.useSettings(settings);
  }
}
