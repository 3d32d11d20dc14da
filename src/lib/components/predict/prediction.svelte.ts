// The prediction panel's state: one example typed in by raw column values, or a table of rows dropped.
import Papa from 'papaparse';
import type { ModelRecord } from '../../../../workers/store/schema.ts';
import {
  formatNumber,
  inputColumns,
  predictionsCsv,
  predictRows,
  type Prediction,
} from './predict.ts';

/** A batch file larger than this is refused before reading (prediction runs on the page). */
export const BATCH_LIMIT_BYTES = 20 * 1024 * 1024;
/** Rows shown in the result table (the download has them all). */
export const SHOWN_ROWS = 50;

export class PredictionPanel {
  model = $state.raw<ModelRecord | null>(null);
  values = $state<Record<string, string>>({});
  result = $state.raw<Prediction | null>(null);
  error = $state<string | null>(null);
  batchHeader = $state.raw<string[]>([]);
  batchRows = $state.raw<string[][]>([]);
  batchPredictions = $state.raw<Prediction[]>([]);
  batchName = $state('');

  get columns(): ReturnType<typeof inputColumns> {
    return this.model ? inputColumns(this.model) : [];
  }

  use(model: ModelRecord | null): void {
    this.model = model;
    this.result = null;
    this.error = null;
    this.batchRows = [];
    this.batchPredictions = [];
    this.values = Object.fromEntries((model ? inputColumns(model) : []).map((c) => [c.name, '']));
  }

  /** Predicts the one example in the form. Empty fields count as missing (the recipe imputes them). */
  predictOne(): void {
    const model = this.model;
    if (!model) return;
    this.error = null;
    try {
      const row: Record<string, string> = {};
      for (const c of this.columns) row[c.name] = (this.values[c.name] ?? '').trim();
      this.result = predictRows(model, [row])[0];
    } catch (e) {
      this.result = null;
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  describe(p: Prediction): string {
    if (p.value !== null) return `${this.model?.targetName || 'Value'}: ${formatNumber(p.value)}`;
    const labels = this.model?.classLabels ?? [];
    const best = p.probabilities.indexOf(Math.max(...p.probabilities));
    return `${p.label} (probability ${p.probabilities[best]?.toFixed(3) ?? '?'})${labels.length ? '' : ''}`;
  }

  /** Reads a table of rows (size checked first), predicts every row. */
  async predictFile(file: File): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.error = null;
    this.batchRows = [];
    this.batchPredictions = [];
    if (file.size > BATCH_LIMIT_BYTES) {
      this.error = `"${file.name}" is ${(file.size / 1048576).toFixed(1)} MB; batch prediction takes files up to ${BATCH_LIMIT_BYTES / 1048576} MB. Split it into smaller files.`;
      return;
    }
    const text = await file.text();
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
    const [header, ...rows] = parsed.data;
    if (!header || rows.length === 0) {
      this.error = `"${file.name}" has no data rows under its header. Give a table whose first row names the columns.`;
      return;
    }
    const names = header.map((h) => h.trim());
    const missing = this.columns.map((c) => c.name).filter((n) => !names.includes(n));
    if (missing.length === this.columns.length) {
      this.error = `"${file.name}" has none of the columns this model needs (${this.columns
        .map((c) => c.name)
        .slice(0, 8)
        .join(', ')}). Check the header row.`;
      return;
    }
    const ragged = rows.findIndex((r) => r.length !== names.length);
    if (ragged >= 0) {
      this.error = `Row ${ragged + 2} of "${file.name}" has ${rows[ragged].length} cells but the header has ${names.length}. Fix that row and try again.`;
      return;
    }
    try {
      this.batchPredictions = predictRows(model, rows, names);
      this.batchHeader = names;
      this.batchRows = rows;
      this.batchName = file.name.replace(/\.[^.]*$/, '');
      if (missing.length)
        this.error = `Columns missing from "${file.name}" were treated as empty (filled in as in training): ${missing.join(', ')}.`;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** The batch result as CSV text (input columns, then predictions; formula-like text escaped). */
  csv(): string {
    const model = this.model;
    if (!model) return '';
    return predictionsCsv(model, this.batchHeader, this.batchRows, this.batchPredictions);
  }
}
