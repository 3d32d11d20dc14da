// Reading an imported file's pieces (json-stream.ts) into checked records. A model, run or lesson file
// is checked whole before anything is stored; a backup record by record: what is valid is kept, what
// is not is listed with the path of its first problem. Nothing here touches the store.
import type { RecipeSettings } from '../data/types.ts';
import type { TrainConfig } from '../core/types.ts';
import type { Msg } from '../messages/index.ts';
import { FILE_VERSION, fromBase64, type ModelData, type RunData } from './files.ts';
import { JsonScanner, type JsonPiece } from './json-stream.ts';
import { LIMITS } from './limits.ts';
import { newId } from './names.ts';
import {
  DatasetDataSchema,
  LessonSchema,
  ModelDataSchema,
  RunDataSchema,
  shown,
} from './schemas/index.ts';
import { kindOf } from './schemas/base.ts';
import { ImportError, parseJsonSafely, parseWith, type FileKind } from './validate.ts';

export interface DatasetIn {
  name: string;
  type: string;
  bytes: Uint8Array;
  summary: unknown;
}

export interface ImportedLesson {
  title: string;
  note: string;
  /** The data settings (target, recipe choices); null when the pack was made before a target. */
  recipeSettings: RecipeSettings | null;
  config: TrainConfig | null;
  dataset: DatasetIn;
}

/** A record of a backup that was not imported, and why. */
export interface Refusal {
  what: 'model' | 'run' | 'dataset';
  /** Its place in the backup's list (0-based, as in its path). */
  index: number;
  /** Its name when it has a readable one. */
  name: string | null;
  reason: Msg;
}

/** Checked records, ready to store: nothing in them has been stored yet. */
export interface ImportBundle {
  kind: FileKind;
  models: ModelData[];
  runs: RunData[];
  datasets: DatasetIn[];
  lesson: ImportedLesson | null;
  /** The first records of a backup left out, with their reasons. */
  refused: Refusal[];
  /** How many were left out in all. */
  refusedCount: number;
}

const empty = (): ImportBundle => ({
  kind: 'backup',
  models: [],
  runs: [],
  datasets: [],
  lesson: null,
  refused: [],
  refusedCount: 0,
});

const FORMATS: Record<string, FileKind> = {
  'backprop-lab/model': 'model',
  'backprop-lab/run': 'run',
  'backprop-lab/lesson': 'lesson',
  'backprop-lab/backup': 'backup',
};
const LISTS = { models: 'model', runs: 'run', datasets: 'dataset' } as const;
type ListKey = keyof typeof LISTS;
const isList = (key: string): key is ListKey => Object.hasOwn(LISTS, key);

/** What an imported run becomes: a fresh id when it has none (or a strange one), "interrupted" when it
 * was running (nobody trains it here), its seed and checkpoint epoch from its own parts. */
function runAsImported(d: RunData): RunData {
  const run = d.run;
  return {
    run: {
      ...run,
      id: /^[\w-]{1,64}$/.test(run.id) ? run.id : newId(),
      status: run.status === 'running' ? 'interrupted' : run.status,
      seed: run.config.seed,
      updated: Date.now(),
      checkpointEpoch: d.checkpoint?.epoch ?? 0,
    },
    checkpoint: d.checkpoint,
  };
}

function datasetIn(v: unknown, root: string): DatasetIn {
  const d = parseWith(DatasetDataSchema, v, root);
  return {
    name: d.name,
    type: d.type,
    bytes: fromBase64(d.base64, `${root}.base64`),
    summary: d.summary ?? null,
  };
}

function nameIn(v: unknown, what: Refusal['what']): string | null {
  const o = v as { name?: unknown; run?: { name?: unknown } } | null;
  const n = what === 'run' ? o?.run?.name : o?.name;
  return typeof n === 'string' && n.trim() ? shown(n.trim()) : null;
}

/** Takes a file's pieces as they come and turns them into checked records. */
export class ImportParser {
  kind: FileKind | null = null;
  #version: unknown = undefined;
  #members: Record<string, unknown> = {};
  #waiting: JsonPiece[] = [];
  /** Records of a backup checked so far, taken by the caller in batches. */
  out: ImportBundle = empty();
  readonly scanner = new JsonScanner(isList, (p) => this.#piece(p), LIMITS.record);

  #piece(p: JsonPiece): void {
    if (p.index >= 0) {
      if (this.kind === null) this.#waiting.push(p);
      else if (this.kind === 'backup') this.#record(p);
      return;
    }
    const value = parseJsonSafely(p.text, false);
    if (p.key === 'format') {
      const kind =
        typeof value === 'string' && Object.hasOwn(FORMATS, value) ? FORMATS[value] : null;
      if (!kind)
        throw new ImportError({
          key: 'store.file.notLabFile',
          params: { format: value === undefined ? 'missing' : shown(value) },
        });
      this.kind = kind;
      this.#checkVersion();
      for (const w of this.#waiting.splice(0)) this.#piece(w);
    } else if (p.key === 'version') {
      this.#version = value;
      this.#checkVersion();
    } else this.#members[p.key] = value;
  }

  #checkVersion(): void {
    if (this.kind === null || this.#version === undefined || this.#version === FILE_VERSION) return;
    const version = this.#version;
    throw new ImportError({
      key: 'store.file.version',
      params: {
        kind: this.kind,
        version: shown(version),
        expected: FILE_VERSION,
        newer: typeof version === 'number' && version > FILE_VERSION,
      },
    });
  }

  /** One element of a backup's list: checked and kept, or listed as refused. */
  #record(p: JsonPiece): void {
    const key = p.key as ListKey;
    const what = LISTS[key];
    const root = `${key}[${p.index}]`;
    let raw: unknown = null;
    try {
      raw = parseJsonSafely(p.text, false);
      if (what === 'model') this.out.models.push(parseWith(ModelDataSchema, raw, root));
      else if (what === 'run')
        this.out.runs.push(runAsImported(parseWith(RunDataSchema, raw, root)));
      else this.out.datasets.push(datasetIn(raw, root));
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      const reason: Msg =
        e.msg.key === 'store.file.badJson'
          ? {
              key: 'store.file.recordJson',
              params: { path: root, detail: e.msg.params?.detail ?? '' },
            }
          : e.msg;
      this.out.refusedCount++;
      if (this.out.refused.length < 100)
        this.out.refused.push({ what, index: p.index, name: nameIn(raw, what), reason });
    }
  }

  /** Takes the records checked so far (a backup's next batch). */
  take(): ImportBundle {
    const out = this.out;
    this.out = empty();
    return out;
  }

  /** The file has ended: a model, run or lesson file is checked whole here. */
  finish(): ImportBundle {
    this.scanner.end();
    const kind = this.kind;
    if (kind === null)
      throw new ImportError({ key: 'store.file.notLabFile', params: { format: 'missing' } });
    if (this.#version === undefined)
      throw new ImportError({ key: 'store.file.missing', params: { path: 'version' } });
    const root = this.#members;
    const bundle = this.take();
    bundle.kind = kind;
    if (kind === 'model') bundle.models.push(parseWith(ModelDataSchema, root.model, 'model'));
    else if (kind === 'run')
      bundle.runs.push(
        runAsImported(parseWith(RunDataSchema, { run: root.run, checkpoint: root.checkpoint }, '')),
      );
    else if (kind === 'lesson') {
      const l = parseWith(LessonSchema, root, '');
      const dataset = datasetIn(root.dataset, 'dataset');
      bundle.lesson = {
        title: l.title,
        note: l.note,
        recipeSettings: l.recipeSettings,
        config: l.config,
        dataset,
      };
      bundle.datasets.push(dataset);
    } else {
      for (const key of Object.keys(LISTS) as ListKey[])
        if (key in root) {
          bundle.refusedCount++;
          bundle.refused.push({
            what: LISTS[key],
            index: -1,
            name: null,
            reason: {
              key: 'store.file.type',
              params: { path: key, expected: 'list', received: kindOf(root[key]) },
            },
          });
        }
    }
    return bundle;
  }
}

/** Parses and checks a whole file's text (tests, small files). Throws ImportError with the path of
 * the first problem of a model, run or lesson file; a backup's bad records are in `refused`. */
export function parseImport(text: string): ImportBundle {
  const parser = new ImportParser();
  parser.scanner.push(text);
  return parser.finish();
}
