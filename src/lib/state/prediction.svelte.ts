// The prediction panel's state: one example typed in by its raw column values, or a CSV file of rows.
// The data worker does the work (reading, the recipe, the forward pass, the CSV); this only sends the
// model and the row or file, follows the progress, and keeps what to show and to download.
import type {
  InputColumn,
  Prediction,
  PredictionBatch,
  PredictProgress,
  PredictResult,
} from '../../../workers/data/predict/types.ts';
import type { ModelRecord } from '../../../workers/store/schema.ts';
import { msgOf, type Msg } from '../../../workers/messages/index.ts';
import { i18n, say, t } from '../i18n/i18n.svelte.ts';

/** What the panel needs of the data worker (src/lib/engine/data-bridge.ts: workerPredictionBackend). */
export interface PredictionBackend {
  inputs(model: ModelRecord): Promise<InputColumn[]>;
  predictRow(
    model: ModelRecord,
    header: string[],
    cells: string[],
  ): Promise<PredictResult<{ prediction: Prediction }>>;
  predictFile(
    model: ModelRecord,
    file: Blob,
    name: string,
    onProgress: (p: PredictProgress) => void,
  ): Promise<PredictResult<{ batch: PredictionBatch }>>;
  cancel(): Promise<void>;
}

/** A file being predicted. */
export interface PredictionProgress {
  name: string;
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

/** Rows of a predicted file added to the table per animation frame (a whole table at once is a long
 * task on a slow device). */
export const ROWS_PER_FRAME = 5;

/** The progress shown changes at most this often, ms (each change costs the page a frame). */
export const PROGRESS_MS = 500;

/** Runs `fn` before the next frame (a timer where there are no frames, as in tests). */
export type FrameScheduler = (fn: () => void) => void;
const nextFrame: FrameScheduler = (fn) =>
  typeof requestAnimationFrame === 'function'
    ? void requestAnimationFrame(fn)
    : void setTimeout(fn, 16);

function message(e: unknown): Msg | string {
  return msgOf(e) ?? (e instanceof Error ? e.message : String(e));
}

export class PredictionPanel {
  model = $state.raw<ModelRecord | null>(null);
  /** The raw columns the form asks for (from the worker). */
  columns = $state.raw<InputColumn[]>([]);
  /** What the user typed, one entry per column of `columns` (empty = missing). */
  values = $state<string[]>([]);
  result = $state.raw<Prediction | null>(null);
  /** What went wrong, or what to know about a predicted file: messages shown in the user's language. */
  problems = $state.raw<Array<Msg | string>>([]);
  /** The file being predicted, or null. */
  progress = $state.raw<PredictionProgress | null>(null);
  batch = $state.raw<PredictionBatch | null>(null);
  /** How many of the batch's first rows the table shows yet: they are added a few per frame. */
  visible = $state(0);
  /** The predicted file's name without its extension (the download is "<name>-predictions.csv"). */
  batchName = $state('');

  readonly #backend: PredictionBackend;
  readonly #frame: FrameScheduler;
  /** Newest model chosen, newest one-row request and newest file: older answers are dropped. */
  #chosen = 0;
  #row = 0;
  #file = 0;

  constructor(backend: PredictionBackend, frame: FrameScheduler = nextFrame) {
    this.#backend = backend;
    this.#frame = frame;
  }

  /** The problems as one text in the user's language, or null. */
  get error(): string | null {
    return this.problems.length ? this.problems.map(say).join(' ') : null;
  }

  /** A class probability as the table shows it: 3 decimals, in the locale's way. */
  probability(p: number): string {
    return i18n.number(p, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  }

  /** Share of the file read so far, 0..1. */
  get fraction(): number {
    const p = this.progress;
    return p && p.totalBytes > 0 ? p.bytesRead / p.totalBytes : 0;
  }

  get downloadName(): string {
    return `${this.batchName || 'rows'}-predictions.csv`;
  }

  /** Chooses the model to predict with (null: none); a file still being predicted is cancelled. */
  async use(model: ModelRecord | null): Promise<void> {
    const mine = ++this.#chosen;
    if (this.progress) this.cancel();
    // Answers to the previous model's requests are dropped.
    this.#row++;
    this.#file++;
    this.progress = null;
    this.model = model;
    this.result = null;
    this.problems = [];
    this.batch = null;
    this.columns = [];
    this.values = [];
    if (!model) return;
    try {
      const columns = await this.#backend.inputs($state.snapshot(model) as ModelRecord);
      if (mine !== this.#chosen) return;
      this.columns = columns;
      this.values = columns.map(() => '');
    } catch (e) {
      if (mine === this.#chosen) this.problems = [message(e)];
    }
  }

  /** Predicts the one example in the form. Empty fields count as missing (the recipe fills them in). */
  async predictOne(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const mine = ++this.#row;
    this.problems = [];
    const header = this.columns.map((c) => c.name);
    const cells = header.map((_, i) => (this.values[i] ?? '').trim());
    try {
      const res = await this.#backend.predictRow(
        $state.snapshot(model) as ModelRecord,
        header,
        cells,
      );
      if (mine !== this.#row || model !== this.model) return;
      this.result = res.ok ? res.prediction : null;
      this.problems = res.ok ? [] : [res.problem.msg];
    } catch (e) {
      if (mine !== this.#row) return;
      this.result = null;
      this.problems = [message(e)];
    }
  }

  /** One line about a prediction: the class and its probability, or the number. */
  describe(p: Prediction): string {
    if (p.value !== null)
      return this.model?.targetName
        ? t('predict.result.value', { target: this.model.targetName, value: p.label })
        : t('predict.result.valueUnnamed', { value: p.label });
    return t('predict.result.class', {
      label: p.label,
      probability: p.confidence === null ? '?' : this.probability(p.confidence),
    });
  }

  /** Predicts every row of a CSV file in the worker, with progress; Cancel stops it. */
  async predictFile(file: File): Promise<void> {
    const model = this.model;
    if (!model) return;
    const mine = ++this.#file;
    this.problems = [];
    this.batch = null;
    this.progress = { name: file.name, bytesRead: 0, totalBytes: file.size, rows: 0 };
    let shown = Date.now();
    try {
      const res = await this.#backend.predictFile(
        $state.snapshot(model) as ModelRecord,
        file,
        file.name,
        (p) => {
          const now = Date.now();
          if (mine !== this.#file || now - shown < PROGRESS_MS) return;
          shown = now;
          this.progress = { name: file.name, ...p };
        },
      );
      if (mine !== this.#file) return;
      if (!res.ok) {
        this.problems = [res.problem.msg];
        return;
      }
      this.batch = res.batch;
      this.#reveal(res.batch);
      this.batchName = file.name.replace(/\.[^.]*$/, '');
      if (res.batch.notices.length) this.problems = res.batch.notices;
    } catch (e) {
      if (mine === this.#file) this.problems = [message(e)];
    } finally {
      if (mine === this.#file) this.progress = null;
    }
  }

  /** Shows the batch's rows ROWS_PER_FRAME at a time, until all are shown or another batch comes. */
  #reveal(batch: PredictionBatch): void {
    this.visible = 0;
    const step = () => {
      if (this.batch !== batch) return;
      this.visible = Math.min(batch.shown.length, this.visible + ROWS_PER_FRAME);
      if (this.visible < batch.shown.length) this.#frame(step);
    };
    // The first frame shows the count and the download; the rows start in the next one.
    this.#frame(() => this.#frame(step));
  }

  /** Stops the file being predicted (the worker answers "cancelled"). */
  cancel(): void {
    void this.#backend.cancel().catch(() => undefined);
  }
}
