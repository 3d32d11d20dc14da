// The records Backprop Lab keeps and carries: a model, a run (with its checkpoint in files), a dataset
// and a lesson pack. The same schemas check an imported file and a stored record read back; fields an
// older file may lack get their defaults. A model or run must also agree with itself: as many feature
// names as inputs, outputs that fit the task and its class labels, weights of the run's shape.
import * as v from 'valibot';
import { TASKS, type NetworkSpec, type Task } from '../../core/types.ts';
import type { Recipe } from '../../data/types.ts';
import { RUN_STATUSES } from '../schema.ts';
import { LIMITS } from '../limits.ts';
import { at, atLeast, count, filled, list, says, text, uniqueTexts } from './base.ts';
import { NetworkSchema, SpecSchema } from './network.ts';
import { RecipeSchema, SettingsWithDefaultsSchema } from './recipe.ts';
import {
  DivergenceSchema,
  HistorySchema,
  MetricsSchema,
  TargetScaleSchema,
  TimingsSchema,
  TrainConfigSchema,
} from './training.ts';

const nameOf = (fallback: string) =>
  v.pipe(
    text(LIMITS.name),
    v.transform((s) => s.trim() || fallback),
  );
const task = v.optional(v.nullable(v.picklist(TASKS)), null);
const featureNames = v.optional(list(text(LIMITS.featureName), LIMITS.features), []);
const classLabels = v.optional(uniqueTexts(filled(LIMITS.text), LIMITS.classes), []);
const targetScale = v.optional(v.nullable(TargetScaleSchema), null);
const recipe = v.optional(v.nullable(RecipeSchema), null);
const hash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const metrics = v.pipe(
  v.optional(v.nullable(MetricsSchema), null),
  v.transform((m) => m ?? {}),
);

type AddIssue = (info: { message: string; path?: [v.IssuePathItem, ...v.IssuePathItem[]] }) => void;

interface Shape {
  spec: NetworkSpec;
  task: Task | null;
  featureNames: string[];
  classLabels: string[];
  recipe: Recipe | null;
}

/** Issues of a network that does not fit its data: inputs vs feature names, outputs vs task and
 * classes. `specAt` is the path to the spec. */
function checkShape(r: Shape, root: object, specAt: v.IssuePathItem[], addIssue: AddIssue): void {
  const { spec } = r;
  const path = (item: v.IssuePathItem): [v.IssuePathItem, ...v.IssuePathItem[]] => [item];
  if (r.featureNames.length && r.featureNames.length !== spec.inputs) {
    addIssue({
      message: says('store.file.featureCount', {
        actual: r.featureNames.length,
        expected: spec.inputs,
      }),
      path: path(at('featureNames', root)),
    });
    return;
  }
  if (r.recipe && r.recipe.featureNames.length !== spec.inputs) {
    addIssue({
      message: says('store.file.featureCount', {
        actual: r.recipe.featureNames.length,
        expected: spec.inputs,
      }),
      path: [at('recipe', root), at('featureNames', r.recipe)],
    });
    return;
  }
  const want =
    r.task === 'multiclass'
      ? { output: 'softmax', outputs: r.classLabels.length }
      : r.task === 'binary' || r.task === 'regression'
        ? { output: r.task === 'binary' ? 'sigmoid' : 'linear', outputs: 1 }
        : null;
  if (want && (spec.output !== want.output || spec.outputs !== want.outputs)) {
    addIssue({
      message: says('store.file.taskOutputs', {
        task: r.task as string,
        outputs: spec.outputs,
        output: spec.output,
        expected: want.outputs,
        expectedOutput: want.output,
      }),
      path: [specAt[0], ...specAt.slice(1)],
    });
    return;
  }
  const labels = r.classLabels.length;
  const fits =
    labels === 0 ||
    (spec.output === 'sigmoid' && labels === 2) ||
    (spec.output === 'softmax' && labels === spec.outputs);
  if (!fits)
    addIssue({
      message: says('store.file.classCount', { actual: labels, expected: spec.outputs }),
      path: path(at('classLabels', root)),
    });
}

const modelEntries = {
  name: nameOf('Imported model'),
  created: v.optional(atLeast(0), () => Date.now()),
  network: NetworkSchema,
  recipe,
  task,
  targetName: v.optional(text(LIMITS.text), ''),
  featureNames,
  classLabels,
  targetScale,
  metrics,
};

interface ModelShape {
  network: { spec: NetworkSpec };
  task: Task | null;
  featureNames: string[];
  classLabels: string[];
  recipe: Recipe | null;
}

const modelCheck = <T extends ModelShape>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const m = dataset.value;
    checkShape(
      { ...m, spec: m.network.spec },
      m,
      [at('network', m), at('spec', m.network)],
      addIssue,
    );
  });

const modelObject = v.object(modelEntries);
const modelRecordObject = v.object({
  ...modelEntries,
  id: filled(100),
  runId: v.optional(v.nullable(text(100)), null),
  datasetHash: v.optional(v.nullable(hash), null),
});

/** A model as it travels in files (a ModelRecord without its ids). */
export const ModelDataSchema = v.pipe(modelObject, modelCheck<v.InferOutput<typeof modelObject>>());

/** A model as it is stored. */
export const ModelRecordSchema = v.pipe(
  modelRecordObject,
  modelCheck<v.InferOutput<typeof modelRecordObject>>(),
);

/** A run as it is stored and as it travels in files (where the import gives it a new id, time and
 * status when needed). */
export const RunRecordSchema = v.pipe(
  v.object({
    id: v.optional(text(100), ''),
    name: nameOf('Imported run'),
    created: v.optional(atLeast(0), () => Date.now()),
    updated: v.optional(atLeast(0), () => Date.now()),
    status: v.picklist(RUN_STATUSES),
    config: TrainConfigSchema,
    seed: v.optional(v.pipe(v.number(), v.integer()), 0),
    datasetHash: v.optional(v.nullable(hash), null),
    datasetName: v.optional(text(LIMITS.text), ''),
    recipe,
    spec: v.optional(v.nullable(SpecSchema), null),
    task,
    targetName: v.optional(text(LIMITS.text), ''),
    featureNames,
    classLabels,
    targetScale,
    history: HistorySchema,
    final: v.optional(v.nullable(MetricsSchema), null),
    divergence: v.optional(v.nullable(DivergenceSchema), null),
    timings: v.optional(TimingsSchema, () => ({
      startedAt: Date.now(),
      endedAt: null,
      elapsedMs: 0,
    })),
    checkpointEpoch: v.optional(count(0), 0),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const r = dataset.value;
    if (r.spec) checkShape({ ...r, spec: r.spec }, r, [at('spec', r)], addIssue);
  }),
);

export const CheckpointDataSchema = v.object({
  epoch: count(0),
  network: NetworkSchema,
});

/** A run file's body, or one run of a backup: the run and its last weights. */
export const RunDataSchema = v.pipe(
  v.object({
    run: RunRecordSchema,
    checkpoint: v.optional(v.nullable(CheckpointDataSchema), null),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { run, checkpoint } = dataset.value;
    if (
      checkpoint &&
      run.spec &&
      JSON.stringify(run.spec) !== JSON.stringify(checkpoint.network.spec)
    )
      addIssue({
        message: says('store.file.specMismatch'),
        path: [
          at('checkpoint', dataset.value),
          at('network', checkpoint),
          at('spec', checkpoint.network),
        ],
      });
  }),
);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A dataset in a file: its original bytes as base64. */
export const DatasetDataSchema = v.object({
  name: v.pipe(
    text(LIMITS.text),
    v.transform((s) => s.trim() || 'dataset.csv'),
  ),
  type: v.optional(text(LIMITS.mimeType), 'text/csv'),
  base64: v.pipe(
    v.string(),
    v.maxLength(Math.ceil(LIMITS.datasetBytes / 3) * 4),
    v.check((s) => s.length % 4 === 0 && BASE64.test(s), says('store.file.base64')),
  ),
  summary: v.optional(v.unknown(), null),
});

/** A lesson pack's body: a dataset, its data settings (null before a target is chosen) and the
 * network settings, within the editor's limits. */
export const LessonSchema = v.object({
  title: text(LIMITS.name),
  note: v.optional(text(LIMITS.note), ''),
  dataset: DatasetDataSchema,
  recipeSettings: v.optional(v.nullable(SettingsWithDefaultsSchema), null),
  config: v.optional(v.nullable(TrainConfigSchema), null),
});
