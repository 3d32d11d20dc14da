// Import: a file's size is checked before reading, then it is parsed and validated completely before
// anything is stored; storing is one transaction, where a name clash gets a " (2)" suffix and an id
// clash a new id: an import never overwrites.
import { DIVERGENCE_KINDS, TASKS, type EpochMetrics, type TrainConfig } from '../core/types.ts';
import type { Msg } from '../messages/index.ts';
import type { DatasetRecord, ModelRecord, RunRecord, RunStatus } from './schema.ts';
import { RUN_STATUSES } from './schema.ts';
import type { LabStore } from './store.ts';
import { newId, sha256Hex, uniqueName } from './names.ts';
import { FILE_VERSION, fromBase64, type ModelData, type RunData } from './files.ts';
import {
  ImportError,
  LIMITS,
  arr,
  checkFileSize,
  num,
  obj,
  oneOf,
  parseHistory,
  parseJsonSafely,
  parseMetrics,
  parseNetwork,
  parseRecipe,
  parseSpec,
  parseTargetScale,
  parseTrainConfig,
  str,
  strings,
  type FileKind,
} from './validate.ts';

function checkModelData(v: unknown, path: string): ModelData {
  const o = obj(v, path);
  const network = parseNetwork(o.network, `${path}, network`);
  const task =
    o.task === null || o.task === undefined ? null : oneOf(o.task, `${path}: task`, TASKS);
  const featureNames = strings(o.featureNames ?? [], `${path}: feature names`, LIMITS.features);
  const classLabels = strings(o.classLabels ?? [], `${path}: class labels`, LIMITS.classes);
  const { inputs, outputs, output } = network.spec;
  if (featureNames.length && featureNames.length !== inputs) {
    throw new ImportError(
      `${path} names ${featureNames.length} input features but its network takes ${inputs} inputs.`,
    );
  }
  if (task === 'multiclass' && (output !== 'softmax' || outputs !== classLabels.length)) {
    throw new ImportError(
      `${path} predicts ${classLabels.length} classes but its network has ${outputs} ${output} outputs.`,
    );
  }
  if (task === 'binary' && (output !== 'sigmoid' || outputs !== 1)) {
    throw new ImportError(
      `${path} is a yes/no model but its network has ${outputs} ${output} outputs (it needs 1 sigmoid output).`,
    );
  }
  if (task === 'regression' && (output !== 'linear' || outputs !== 1)) {
    throw new ImportError(
      `${path} predicts a number but its network has ${outputs} ${output} outputs (it needs 1 linear output).`,
    );
  }
  return {
    name: str(o.name, `${path}: name`).trim() || 'Imported model',
    created: o.created === undefined ? Date.now() : num(o.created, `${path}: created`, { min: 0 }),
    network,
    recipe: parseRecipe(o.recipe, `${path}, recipe`),
    task,
    targetName: o.targetName === undefined ? '' : str(o.targetName, `${path}: target name`, 1000),
    featureNames,
    classLabels,
    targetScale: parseTargetScale(o.targetScale, `${path}: target scale`),
    metrics: parseMetrics(o.metrics, `${path}: metrics`),
  };
}

function checkRunData(v: unknown, path: string): RunData {
  const o = obj(v, path);
  const r = obj(o.run, `${path}: run`);
  const config = parseTrainConfig(r.config, `${path}, settings`);
  const history: EpochMetrics[] = parseHistory(r.history, `${path}, history`);
  let status: RunStatus = oneOf(r.status, `${path}: status`, RUN_STATUSES);
  if (status === 'running') status = 'interrupted'; // nobody trains an imported run
  const timings = r.timings === undefined ? null : obj(r.timings, `${path}: timings`);
  const checkpoint =
    o.checkpoint === null || o.checkpoint === undefined
      ? null
      : (() => {
          const c = obj(o.checkpoint, `${path}: checkpoint`);
          return {
            epoch: num(c.epoch, `${path}: checkpoint epoch`, { integer: true, min: 0 }),
            network: parseNetwork(c.network, `${path}, checkpoint network`),
          };
        })();
  const spec =
    r.spec === null || r.spec === undefined
      ? (checkpoint?.network.spec ?? null)
      : parseSpec(r.spec, `${path}, network`);
  const now = Date.now();
  const run: RunRecord = {
    id: typeof r.id === 'string' && /^[\w-]{1,64}$/.test(r.id) ? r.id : newId(),
    name: str(r.name, `${path}: name`).trim() || 'Imported run',
    created: r.created === undefined ? now : num(r.created, `${path}: created`, { min: 0 }),
    updated: now,
    status,
    config,
    seed: config.seed,
    datasetHash:
      r.datasetHash === null || r.datasetHash === undefined
        ? null
        : str(r.datasetHash, `${path}: dataset hash`, 64),
    datasetName: r.datasetName === undefined ? '' : str(r.datasetName, `${path}: dataset name`),
    recipe: parseRecipe(r.recipe, `${path}, recipe`),
    spec,
    task: r.task === null || r.task === undefined ? null : oneOf(r.task, `${path}: task`, TASKS),
    targetName: r.targetName === undefined ? '' : str(r.targetName, `${path}: target name`, 1000),
    featureNames: strings(r.featureNames ?? [], `${path}: feature names`, LIMITS.features),
    classLabels: strings(r.classLabels ?? [], `${path}: class labels`, LIMITS.classes),
    targetScale: parseTargetScale(r.targetScale, `${path}: target scale`),
    history,
    final:
      r.final === null || r.final === undefined
        ? null
        : parseMetrics(r.final, `${path}: final metrics`),
    divergence: checkDivergence(r.divergence, `${path}: divergence`),
    timings: {
      startedAt:
        timings?.startedAt === undefined
          ? now
          : num(timings.startedAt, `${path}: start time`, { min: 0 }),
      endedAt:
        timings?.endedAt === null || timings?.endedAt === undefined
          ? null
          : num(timings.endedAt, `${path}: end time`, { min: 0 }),
      elapsedMs:
        timings?.elapsedMs === undefined
          ? 0
          : num(timings.elapsedMs, `${path}: training time`, { min: 0 }),
    },
    checkpointEpoch: checkpoint?.epoch ?? 0,
  };
  if (checkpoint && spec && JSON.stringify(spec) !== JSON.stringify(checkpoint.network.spec)) {
    throw new ImportError(`${path}: the saved weights do not match the run's network shape.`);
  }
  return { run, checkpoint };
}

function checkDivergence(v: unknown, path: string): RunRecord['divergence'] {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  const fix = obj(o.fix, `${path}: fix`);
  const epoch = num(o.epoch, `${path}: epoch`, { integer: true, min: 0 });
  return {
    epoch,
    step: num(o.step, `${path}: step`, { integer: true, min: 0 }),
    // Files written before finite blow-ups were caught hold only NaN/infinity divergences.
    kind: o.kind === undefined ? 'nan' : oneOf(o.kind, `${path}: kind`, DIVERGENCE_KINDS),
    loss: o.loss === undefined || o.loss === null ? NaN : num(o.loss, `${path}: loss`),
    restoredEpoch:
      o.restoredEpoch === undefined
        ? Math.max(0, epoch - 1)
        : num(o.restoredEpoch, `${path}: restored epoch`, { integer: true, min: 0 }),
    cause: checkMsg(o.cause, `${path}: cause`),
    fix: {
      label: checkMsg(fix.label, `${path}: fix label`),
      ...(fix.learningRate === undefined
        ? {}
        : {
            learningRate: num(fix.learningRate, `${path}: fix learning rate`, {
              min: 0,
              minExclusive: true,
            }),
          }),
      ...(fix.lambda === undefined
        ? {}
        : { lambda: num(fix.lambda, `${path}: fix lambda`, { min: 0 }) }),
    },
  };
}

/** A worker's message (a key and its text or number parameters); the plain sentence of an older
 *  file is kept as it is (shown in English). */
function checkMsg(v: unknown, path: string): Msg {
  if (typeof v === 'string') return { key: 'trainer.text', params: { text: str(v, path, 2000) } };
  const o = obj(v, path);
  const key = str(o.key, `${path}: key`, 100) as Msg['key'];
  if (o.params === undefined) return { key };
  const p = obj(o.params, `${path}: parameters`);
  const names = Object.keys(p);
  if (names.length > 20)
    throw new ImportError(`${path} has ${names.length} parameters; at most 20 are allowed.`);
  const params: Record<string, string | number> = {};
  for (const k of names) {
    const x = p[k];
    params[str(k, `${path}: parameter name`, 40)] =
      typeof x === 'number' ? num(x, `${path}: ${k}`) : str(x, `${path}: ${k}`, 500);
  }
  return { key, params };
}

function checkDataset(
  v: unknown,
  path: string,
): { name: string; type: string; bytes: Uint8Array; summary: unknown } {
  const o = obj(v, path);
  const base64 = str(o.base64, `${path}: data`, Math.ceil((LIMITS.lesson * 4) / 3) + 4);
  return {
    name: str(o.name, `${path}: name`).trim() || 'dataset.csv',
    type: o.type === undefined ? 'text/csv' : str(o.type, `${path}: type`, 100),
    bytes: fromBase64(base64, `${path}: data`),
    summary: o.summary ?? null,
  };
}

export interface ImportedLesson {
  title: string;
  note: string;
  recipeSettings: unknown;
  config: TrainConfig | null;
  dataset: { name: string; type: string; bytes: Uint8Array; summary: unknown };
}

/** A validated file, ready to store: nothing in it has been stored yet. */
export interface ImportBundle {
  kind: FileKind;
  models: ModelData[];
  runs: RunData[];
  datasets: Array<{ name: string; type: string; bytes: Uint8Array; summary: unknown }>;
  lesson: ImportedLesson | null;
}

const FORMATS: Record<string, FileKind> = {
  'backprop-lab/model': 'model',
  'backprop-lab/run': 'run',
  'backprop-lab/lesson': 'lesson',
  'backprop-lab/backup': 'backup',
};

/** Parses and validates a file's text completely. Throws ImportError with a specific message. */
export function parseImport(text: string): ImportBundle {
  const root = obj(parseJsonSafely(text), 'The file');
  const kind = typeof root.format === 'string' ? FORMATS[root.format] : undefined;
  if (!kind || !Object.hasOwn(FORMATS, String(root.format))) {
    throw new ImportError(
      `This is not a Backprop Lab file (its "format" is ${JSON.stringify(root.format)?.slice(0, 40) ?? 'missing'}). Choose a model, run, lesson or backup file exported by Backprop Lab.`,
    );
  }
  if (root.version !== FILE_VERSION) {
    throw new ImportError(
      `This ${kind} file has version ${JSON.stringify(root.version)?.slice(0, 20) ?? 'missing'}; this app reads version ${FILE_VERSION}. ${typeof root.version === 'number' && root.version > FILE_VERSION ? 'Update the app (reload while online) and try again.' : ''}`.trim(),
    );
  }
  if (text.length > LIMITS[kind])
    throw new ImportError(
      `This ${kind} file is larger than the ${LIMITS[kind] / (1024 * 1024)} MB allowed.`,
    );
  const bundle: ImportBundle = { kind, models: [], runs: [], datasets: [], lesson: null };
  switch (kind) {
    case 'model':
      bundle.models.push(checkModelData(root.model, 'The model'));
      break;
    case 'run':
      bundle.runs.push(checkRunData(root, 'The run'));
      break;
    case 'lesson': {
      const dataset = checkDataset(root.dataset, 'The lesson\u2019s dataset');
      bundle.lesson = {
        title: str(root.title, 'The lesson title'),
        note: str(root.note ?? '', 'The teacher\u2019s note', LIMITS.noteLength),
        recipeSettings:
          root.recipeSettings === undefined
            ? null
            : obj(root.recipeSettings, 'The lesson\u2019s data settings'),
        config:
          root.config === null || root.config === undefined
            ? null
            : parseTrainConfig(root.config, 'The lesson\u2019s training settings'),
        dataset,
      };
      bundle.datasets.push(dataset);
      break;
    }
    case 'backup':
      arr(root.models, 'The backup\u2019s models', 100_000).forEach((m, i) =>
        bundle.models.push(checkModelData(m, `Model ${i + 1} of the backup`)),
      );
      arr(root.runs, 'The backup\u2019s runs', 100_000).forEach((r, i) =>
        bundle.runs.push(checkRunData(r, `Run ${i + 1} of the backup`)),
      );
      arr(root.datasets, 'The backup\u2019s datasets', 10_000).forEach((d, i) =>
        bundle.datasets.push(checkDataset(d, `Dataset ${i + 1} of the backup`)),
      );
      break;
  }
  return bundle;
}

/** Checks the size first (nothing is read from a file that is too big), then reads and validates. */
export async function readImportFile(file: Blob & { name?: string }): Promise<ImportBundle> {
  checkFileSize(file, 'anyFile');
  const text = await file.text();
  return parseImport(text);
}

export interface ImportReport {
  models: ModelRecord[];
  runs: RunRecord[];
  datasets: string[];
  /** Names changed because something had the same name already. */
  renamed: Array<{ from: string; to: string }>;
}

/** Stores a validated bundle in ONE transaction: all of it or nothing. Never overwrites. */
export async function storeImport(store: LabStore, bundle: ImportBundle): Promise<ImportReport> {
  // Hash and copy outside the transaction (only IndexedDB is awaited inside it).
  const datasets: DatasetRecord[] = [];
  for (const d of bundle.datasets) {
    const file = new Blob([d.bytes.slice()], { type: d.type });
    datasets.push({
      hash: await sha256Hex(d.bytes),
      name: d.name,
      type: d.type,
      size: file.size,
      file,
      summary: structuredClone(d.summary),
      created: Date.now(),
    });
  }
  return store.write(['models', 'runs', 'checkpoints', 'datasets'], async (tx) => {
    const report: ImportReport = { models: [], runs: [], datasets: [], renamed: [] };
    const modelStore = tx.objectStore('models');
    const runStore = tx.objectStore('runs');
    const existingModels = await modelStore.getAll();
    const modelNames = existingModels.map((m) => m.name);
    for (const m of bundle.models) {
      const name = uniqueName(m.name, modelNames);
      modelNames.push(name);
      if (name !== m.name) report.renamed.push({ from: m.name, to: name });
      const record: ModelRecord = {
        ...(m as Omit<ModelRecord, 'id' | 'runId' | 'datasetHash'>),
        id: newId(),
        name,
        created: m.created,
        runId: null,
        datasetHash: null,
      };
      await modelStore.add(record);
      report.models.push(record);
    }
    const existingRuns = await runStore.getAll();
    const runNames = existingRuns.map((r) => r.name);
    const runIds = new Set(existingRuns.map((r) => r.id));
    for (const { run, checkpoint } of bundle.runs) {
      const name = uniqueName(run.name, runNames);
      runNames.push(name);
      if (name !== run.name) report.renamed.push({ from: run.name, to: name });
      const id = runIds.has(run.id) ? newId() : run.id;
      runIds.add(id);
      const record: RunRecord = { ...run, id, name };
      await runStore.add(record);
      if (checkpoint) {
        await tx.objectStore('checkpoints').put({
          runId: id,
          epoch: checkpoint.epoch,
          savedAt: Date.now(),
          network: checkpoint.network,
          trainerState: null,
        });
      }
      report.runs.push(record);
    }
    const dsStore = tx.objectStore('datasets');
    for (const d of datasets) {
      if (!(await dsStore.get(d.hash))) await dsStore.add(d);
      report.datasets.push(d.hash);
    }
    return report;
  });
}
