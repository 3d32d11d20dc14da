// The bounds of everything Backprop Lab keeps and carries in files. The same numbers are checked when a
// record is made (names are shortened, models checked before they are saved), when a file is imported
// and when a stored record is read back, so everything the app exports imports back.
// The network's own limits (hidden layers, units, training settings) are core's: MAX_HIDDEN_LAYERS,
// LAYER_RANGES and CONFIG_RANGES in workers/core/types.ts, the network editor's limits.

export const MB = 1024 * 1024;

export const LIMITS = {
  // ---- file sizes, checked on File.size before a byte is read
  /** Any import (a backup is read record by record, so it may be the largest). */
  anyFile: 1024 * MB,
  model: 300 * MB,
  run: 300 * MB,
  lesson: 200 * MB,
  backup: 1024 * MB,
  /** The JSON text of one record of a backup (a model, a run or a dataset). */
  record: 300 * MB,
  /** The bytes of a dataset carried in a lesson pack or a backup (base64 makes them a third larger). */
  datasetBytes: 100 * MB,

  // ---- a network
  /** Inputs n_x: the features a recipe makes (columns, one per category for categorical ones). */
  features: 100_000,
  /** Outputs: the classes of a classification target. */
  classes: 1000,
  parameters: 10_000_000,
  /** |w| of any weight or bias: far above anything training makes before the divergence doctor acts,
   * far below what would overflow a float32 forward pass of a small network. */
  weight: 1e6,
  historyRows: 1_000_000,

  // ---- texts
  /** Names the app gives (runs, models, lesson titles): a rename or a " (2)" never goes over. */
  name: 200,
  /** Texts that come from the data: file names, column names, categories, class labels, the target. */
  text: 1000,
  /** A feature's name: "column=category", "column=(missing)". */
  featureName: 2 * 1000 + 16,
  note: 20_000,
  /** Longer sentences kept with a record (why a run diverged, why a column was dropped). */
  sentence: 2000,
  mimeType: 100,

  // ---- lists
  backupModels: 100_000,
  backupRuns: 100_000,
  backupDatasets: 10_000,
  metrics: 100,
} as const;
