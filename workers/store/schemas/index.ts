// The file schemas (valibot), one per record kind, and the proof that each one's output is exactly the
// TypeScript type the app uses: change a type and this file stops compiling until its schema follows.
import type * as v from 'valibot';
import type {
  Divergence,
  EpochMetrics,
  NetworkSpec,
  SerializedNetwork,
  TrainConfig,
} from '../../core/types.ts';
import type { Recipe, RecipeSettings } from '../../data/types.ts';
import type { ModelRecord, RunRecord } from '../schema.ts';
import type { ModelData } from '../files.ts';
import type { DivergenceSchema, EpochMetricsSchema, TrainConfigSchema } from './training.ts';
import type { NetworkSchema, SpecSchema } from './network.ts';
import type { RecipeSchema, RecipeSettingsSchema } from './recipe.ts';
import type { ModelDataSchema, ModelRecordSchema, RunRecordSchema } from './records.ts';

export { parameterCount, NetworkSchema, SpecSchema, HiddenLayersSchema } from './network.ts';
export { RecipeSchema, RecipeSettingsSchema, columnWidth } from './recipe.ts';
export {
  TrainConfigSchema,
  HistorySchema,
  MetricsSchema,
  TargetScaleSchema,
  EpochMetricsSchema,
} from './training.ts';
export {
  ModelDataSchema,
  ModelRecordSchema,
  RunRecordSchema,
  RunDataSchema,
  CheckpointDataSchema,
  DatasetDataSchema,
  LessonSchema,
} from './records.ts';
export { issueMsg, parseOr, pathText, says, shown } from './base.ts';

/** True when A and B are the same type (not merely assignable one way). */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Out<S extends v.GenericSchema> = v.InferOutput<S>;

/** Compile-time only: every schema's output is the app's own type. */
export type SchemasMatchTypes = [
  Same<Out<typeof SpecSchema>, NetworkSpec>,
  Same<Out<typeof NetworkSchema>, SerializedNetwork>,
  Same<Out<typeof TrainConfigSchema>, TrainConfig>,
  Same<Out<typeof EpochMetricsSchema>, EpochMetrics>,
  Same<Out<typeof DivergenceSchema>, Divergence>,
  Same<Out<typeof RecipeSettingsSchema>, RecipeSettings>,
  Same<Out<typeof RecipeSchema>, Recipe>,
  Same<Out<typeof ModelDataSchema>, ModelData>,
  Same<Out<typeof ModelRecordSchema>, ModelRecord>,
  Same<Out<typeof RunRecordSchema>, RunRecord>,
];
const proof: SchemasMatchTypes = [true, true, true, true, true, true, true, true, true, true];
void proof;
