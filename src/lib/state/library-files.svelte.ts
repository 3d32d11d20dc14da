// The library's files: a model (also for TensorFlow.js), a run, everything, and a lesson pack go out
// as files; any of them comes back in. The Library (library.svelte.ts) holds one as `files` and
// shares its store, its messages and its links to the training and data sessions with it.
import type { LabStore } from '../../../workers/store/store.ts';
import { getCheckpoint, getRun } from '../../../workers/store/runs.ts';
import { getModel } from '../../../workers/store/models.ts';
import {
  exportEverything,
  lessonFile,
  modelFile,
  runFile,
  safeFileName,
  toJson,
} from '../../../workers/store/file-export.ts';
import {
  readImportFile,
  storeImport,
  type ImportReport,
  type ImportedLesson,
} from '../../../workers/store/file-import.ts';
import { ImportError } from '../../../workers/store/validate.ts';
import { toTfjsLayers } from '../../../workers/store/tfjs.ts';
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

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class LibraryFiles {
  /** The last lesson pack opened (its note is shown as text). */
  lesson = $state.raw<ImportedLesson | null>(null);

  readonly #host: LibraryFilesHost;

  constructor(host: LibraryFilesHost) {
    this.#host = host;
  }

  async exportModel(id: string, save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const m = await getModel(s, id);
      if (!m) throw new Error('This model no longer exists.');
      save(toJson(modelFile(m)), safeFileName(m.name, 'model.json'));
    });
  }

  /** model.json (with the feature names, class labels and recipe as userDefinedMetadata) and
   * weights.bin, in one zip. */
  async exportTfjs(id: string, save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const m = await getModel(s, id);
      if (!m) throw new Error('This model no longer exists.');
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
      const run = await getRun(s, id);
      if (!run) throw new Error('This run no longer exists.');
      save(toJson(runFile(run, await getCheckpoint(s, id))), safeFileName(run.name, 'run.json'));
    });
  }

  async exportAll(save: Save): Promise<void> {
    await this.#host.guard(async (s) => {
      const backup = await exportEverything(s);
      save(toJson(backup), `backprop-lab-backup-${backup.exportedAt.slice(0, 10)}.json`);
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
      this.#host.fail(
        'Drop the CSV file for the lesson in the Data area first (a generated sample has no file to pack).',
      );
      return;
    }
    try {
      const bytes = await data.file.arrayBuffer();
      const cfg = this.#host.training()?.form.config ?? null;
      const file = lessonFile({
        title: title.trim() || 'Lesson',
        note,
        dataset: {
          name: data.sourceName ?? 'data.csv',
          type: data.file.type || 'text/csv',
          bytes,
          summary: null,
        },
        recipeSettings: data.recipe ? $state.snapshot(data.recipe.settings) : null,
        config: cfg ? $state.snapshot(cfg) : null,
      });
      save(toJson(file), safeFileName(title || 'lesson', 'lesson.json'));
      this.#host.say(`Lesson pack "${title.trim() || 'Lesson'}" exported.`);
    } catch (e) {
      this.#host.fail(message(e));
    }
  }

  /** Checks the size, reads, validates, then stores (all or nothing, never overwriting). */
  async importFile(file: File): Promise<ImportReport | undefined> {
    this.#host.say(null);
    return this.#host.guard(async (s) => {
      let report: ImportReport;
      try {
        const bundle = await readImportFile(file);
        report = await storeImport(s, bundle);
        if (bundle.lesson) {
          this.lesson = bundle.lesson;
          const form = this.#host.training()?.form;
          if (bundle.lesson.config && form) {
            form.load(bundle.lesson.config);
            // The teacher's settings win over the suggestions made for new data.
            if ('touched' in form) form.touched = true;
          }
          const data = this.#host.data();
          if (data?.loadFile) {
            const d = bundle.lesson.dataset;
            await data.loadFile(new File([d.bytes.slice().buffer], d.name, { type: d.type }));
            if (bundle.lesson.recipeSettings && data.useSettings)
              await data.useSettings(bundle.lesson.recipeSettings);
          }
        }
      } catch (e) {
        if (e instanceof ImportError)
          throw new Error(`"${file.name}" was not imported: ${e.message}`, { cause: e });
        throw e;
      }
      const parts = [
        report.models.length
          ? `${report.models.length} model${report.models.length > 1 ? 's' : ''}`
          : '',
        report.runs.length ? `${report.runs.length} run${report.runs.length > 1 ? 's' : ''}` : '',
        report.datasets.length
          ? `${report.datasets.length} dataset${report.datasets.length > 1 ? 's' : ''}`
          : '',
      ].filter(Boolean);
      const renamed = report.renamed.map((r) => `"${r.from}" is saved as "${r.to}"`).join('; ');
      this.#host.say(
        `Imported ${parts.join(', ') || 'nothing new'} from "${file.name}".${renamed ? ` ${renamed} (the name was taken).` : ''}`,
      );
      await this.#host.refresh();
      return report;
    });
  }
}
