// Warnings about a dataset, each with a one-click fix. Pure: computed from the report and the settings;
// the data worker answers the page's describe() with them on every change.
import { msg } from '../messages/index.ts';
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
    const dropLabel = msg('recipe.fix.drop', { column: col.name });
    if (type === 'constant') {
      const all = col.missing === col.rows;
      out.push({
        id: `${all ? 'all-missing' : 'constant'}:${col.name}`,
        kind: all ? 'all-missing' : 'constant',
        column: col.name,
        message: msg(all ? 'recipe.warn.allMissing' : 'recipe.warn.constant', { column: col.name }),
        fixLabel: dropLabel,
        fix: drop,
        fixed: true, // the recipe always leaves constant columns out
      });
    } else if (type === 'id') {
      out.push({
        id: `id-like:${col.name}`,
        kind: 'id-like',
        column: col.name,
        message: msg('recipe.warn.idLike', { column: col.name }),
        fixLabel: dropLabel,
        fix: drop,
        fixed: isDropped(col.name) || settings.dropIdLike,
      });
    } else if (type === 'categorical' && col.unique !== null && col.unique > settings.oneHotCap) {
      out.push({
        id: `high-cardinality:${col.name}`,
        kind: 'high-cardinality',
        column: col.name,
        message: msg('recipe.warn.highCardinality', {
          column: col.name,
          count: col.unique,
          cap: settings.oneHotCap,
        }),
        fixLabel: dropLabel,
        fix: drop,
        fixed: isDropped(col.name),
      });
    }
    if (type === 'numeric' && col.invalidCount > 0) {
      const shown = col.invalidSamples.slice(0, 3);
      const examples = shown.map((s) => `${s.row}: "${s.value}"`).join(', ');
      out.push({
        id: `not-numbers:${col.name}`,
        kind: 'not-numbers',
        column: col.name,
        message: msg('recipe.warn.notNumbers', {
          column: col.name,
          count: col.invalidCount,
          shown: shown.length,
          examples,
        }),
        fixLabel: dropLabel,
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
        message: msg('recipe.warn.missingTarget', { count: target.missing, column: target.name }),
        fixLabel: msg('recipe.fix.dropMissingTarget'),
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
          message: msg('recipe.warn.imbalance', {
            most: most.value,
            mostCount: most.count,
            least: least.value,
            leastCount: least.count,
          }),
          fixLabel: msg('recipe.fix.stratify'),
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
            ? msg('recipe.warn.ranges', { ratio: Math.round(ratio) })
            : msg('recipe.warn.large', { value: Number(biggest.toPrecision(3)) }),
        fixLabel: msg('recipe.fix.standardize'),
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
