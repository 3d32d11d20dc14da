// Warnings about a dataset, each with a one-click fix. Pure: computed from the report and the settings;
// the data worker answers the page's describe() with them on every change.
import { effectiveType, inferTask } from './recipe.ts';
import type { DataWarning, Fix, HealthReport, PrepareSummary, RecipeSettings } from './types.ts';

export type { DataWarning, Fix };

/** `summary` (from the last prepare) gives exact class counts; without it the report's top values are used. */
export function computeWarnings(
  report: HealthReport,
  settings: RecipeSettings,
  summary: PrepareSummary | null = null,
): DataWarning[] {
  const out: DataWarning[] = [];
  const isDropped = (name: string) => settings.dropped.includes(name);
  for (const col of report.columns) {
    if (col.name === settings.target) continue;
    const type = effectiveType(col, settings);
    const drop: Fix = { kind: 'drop-column', column: col.name };
    if (type === 'constant') {
      const all = col.missing === col.rows;
      out.push({
        id: `${all ? 'all-missing' : 'constant'}:${col.name}`,
        kind: all ? 'all-missing' : 'constant',
        column: col.name,
        message: all
          ? `Column "${col.name}" is empty: every value is missing. It cannot help the network and is left out.`
          : `Column "${col.name}" has the same value on every row, so it cannot help tell rows apart. It is left out.`,
        fixLabel: `Drop "${col.name}"`,
        fix: drop,
        fixed: true, // the recipe always leaves constant columns out
      });
    } else if (type === 'id') {
      out.push({
        id: `id-like:${col.name}`,
        kind: 'id-like',
        column: col.name,
        message: `Column "${col.name}" looks like an ID: a different value on every row. A network would only memorize it.`,
        fixLabel: `Drop "${col.name}"`,
        fix: drop,
        fixed: isDropped(col.name) || settings.dropIdLike,
      });
    } else if (type === 'categorical' && col.unique !== null && col.unique > settings.oneHotCap) {
      out.push({
        id: `high-cardinality:${col.name}`,
        kind: 'high-cardinality',
        column: col.name,
        message: `Column "${col.name}" has ${col.unique} different values: only the ${settings.oneHotCap} most frequent get their own input, the rest are grouped as "(other)".`,
        fixLabel: `Drop "${col.name}"`,
        fix: drop,
        fixed: isDropped(col.name),
      });
    }
    if (type === 'numeric' && col.invalidCount > 0) {
      const examples = col.invalidSamples
        .slice(0, 3)
        .map((s) => `row ${s.row}: "${s.value}"`)
        .join(', ');
      out.push({
        id: `not-numbers:${col.name}`,
        kind: 'not-numbers',
        column: col.name,
        message: `Column "${col.name}" holds numbers, but ${col.invalidCount} value${col.invalidCount > 1 ? 's are' : ' is'} not a number (${examples}). They are treated as missing values.`,
        fixLabel: `Drop "${col.name}"`,
        fix: drop,
        fixed: isDropped(col.name),
      });
    }
  }
  const target = report.columns.find((c) => c.name === settings.target);
  if (target) {
    if (target.missing > 0) {
      out.push({
        id: `missing-target:${target.name}`,
        kind: 'missing-target',
        column: target.name,
        message: `${target.missing} row${target.missing > 1 ? 's have' : ' has'} no value in the target "${target.name}"; ${target.missing > 1 ? 'they are' : 'it is'} left out of training.`,
        fixLabel: 'Leave those rows out',
        fix: { kind: 'drop-missing-target' },
        fixed: true,
      });
    }
    const type = effectiveType(target, settings);
    const task = settings.task ?? inferTask(target, type);
    const counts =
      summary && summary.classCounts.length >= 2
        ? [...summary.classCounts]
            .map((c) => ({ value: c.label, count: c.count }))
            .sort((a, b) => b.count - a.count)
        : target.top;
    if (task !== 'regression' && counts.length >= 2) {
      const most = counts[0];
      const least = counts[counts.length - 1];
      if (least.count * 4 < most.count) {
        out.push({
          id: `class-imbalance:${target.name}`,
          kind: 'class-imbalance',
          column: target.name,
          message: `The classes are unbalanced: "${most.value}" has ${most.count} rows but "${least.value}" only ${least.count}. Always guessing "${most.value}" already looks accurate; keep every class in every split.`,
          fixLabel: 'Use a stratified split',
          fix: { kind: 'stratify' },
          fixed: settings.stratify,
        });
      }
    }
  }
  const numeric = report.columns.filter(
    (c) =>
      c.name !== settings.target &&
      !settings.dropped.includes(c.name) &&
      effectiveType(c, settings) === 'numeric' &&
      c.std === c.std,
  );
  if (numeric.length > 0) {
    const spreads = numeric.map((c) => c.max - c.min).filter((s) => s > 0);
    const biggest = Math.max(...numeric.map((c) => Math.max(Math.abs(c.min), Math.abs(c.max))));
    const ratio = spreads.length ? Math.max(...spreads) / Math.min(...spreads) : 1;
    if (ratio > 10 || biggest > 10) {
      out.push({
        id: 'unscaled',
        kind: 'unscaled',
        column: null,
        message:
          ratio > 10
            ? `The number columns have very different ranges (one spans ${Math.round(ratio)} times more than another). Unscaled inputs make training slow or unstable.`
            : `Some number columns have large values (up to ${biggest.toPrecision(3)}). Unscaled inputs make training slow or unstable.`,
        fixLabel: 'Standardize the inputs',
        fix: { kind: 'standardize' },
        fixed: settings.standardize,
      });
    }
  }
  // Warnings that still need a decision first.
  return out.filter((w) => !w.fixed).concat(out.filter((w) => w.fixed));
}

/** The settings after a fix. */
export function applyFix(settings: RecipeSettings, fix: Fix): RecipeSettings {
  switch (fix.kind) {
    case 'drop-column':
      return settings.dropped.includes(fix.column)
        ? settings
        : { ...settings, dropped: [...settings.dropped, fix.column] };
    case 'standardize':
      return { ...settings, standardize: true };
    case 'stratify':
      return { ...settings, stratify: true };
    case 'drop-missing-target':
      return settings;
  }
}
