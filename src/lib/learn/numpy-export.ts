// The NumPy export: a self-contained Python 3 script (numpy + the standard library only) holding the
// trained weights and the preprocessing recipe, written in the seed notes' style (np.dot,
// np.sum(..., axis=1, keepdims=True)). It reads a CSV with Python's csv module, replays the recipe
// exactly (missing tokens, imputation, one-hot with unknown categories, standardization) and prints
// the app's predictions as CSV.
import { layerSizes } from '../../../workers/core/types.ts';
import type { PackedNetwork } from '../../../workers/core/packed.ts';
import { activationLines, backwardLines, forwardLines, weightLines } from './numpy-network.ts';
import {
  columnWidth,
  recipeConstantLines,
  recipeReplayLines,
  type ExportRecipe,
} from './numpy-recipe.ts';

export {
  DEFAULT_MISSING_TOKENS,
  columnWidth,
  exportFeatureNames,
  type ExportBooleanColumn,
  type ExportCategoricalColumn,
  type ExportColumn,
  type ExportNumericColumn,
  type ExportRecipe,
} from './numpy-recipe.ts';
export { pyFloat, pyString } from './numpy-literals.ts';

/** Checks that recipe and network agree; throws an Error naming the mismatch. */
export function validateExport(net: PackedNetwork, recipe: ExportRecipe): void {
  const nx = recipe.columns.reduce((s, c) => s + columnWidth(c), 0);
  if (nx !== net.spec.inputs)
    throw new Error(
      `The recipe makes ${nx} features but the network expects ${net.spec.inputs} inputs; retrain the model after changing the recipe.`,
    );
  if (recipe.scale.length !== nx)
    throw new Error(`The recipe scales ${recipe.scale.length} features but makes ${nx}.`);
  const sizes = layerSizes(net.spec);
  if (net.params.length !== sizes.length - 1)
    throw new Error(
      `The network has ${net.params.length} parameter layers but its spec has ${sizes.length - 1}.`,
    );
  net.params.forEach((p, i) => {
    if (p.W.length !== sizes[i + 1] * sizes[i])
      throw new Error(
        `W[${i + 1}] has ${p.W.length} values but should be ${sizes[i + 1]} x ${sizes[i]}.`,
      );
    if (p.b.length !== sizes[i + 1])
      throw new Error(`b[${i + 1}] has ${p.b.length} values but should be ${sizes[i + 1]} x 1.`);
  });
  if (recipe.task !== 'regression') {
    const expected = recipe.task === 'binary' ? 1 : recipe.classLabels.length;
    if (recipe.task === 'binary' && recipe.classLabels.length !== 2)
      throw new Error(`A binary model needs 2 class labels, not ${recipe.classLabels.length}.`);
    if (net.spec.outputs !== expected)
      throw new Error(
        `The network has ${net.spec.outputs} outputs but the task needs ${expected}.`,
      );
  }
}

export interface NumpyExportOptions {
  /** A title for the docstring (the model's name); shown as text only. */
  title?: string;
  /** ISO date for the docstring. */
  date?: string;
}

/** The whole Python script. Throws (naming the problem) when network and recipe do not fit together. */
export function numpyScript(
  net: PackedNetwork,
  recipe: ExportRecipe,
  opts: NumpyExportOptions = {},
): string {
  validateExport(net, recipe);
  const sizes = layerSizes(net.spec);
  const title = (opts.title ?? 'Backprop Lab model').replace(/["\\\r\n]/g, ' ');
  const out: string[] = [];
  out.push('#!/usr/bin/env python3');
  out.push('# -*- coding: utf-8 -*-');
  out.push(`"""${title}, exported from Backprop Lab${opts.date ? ` on ${opts.date}` : ''}.`);
  out.push('');
  out.push(
    `A ${sizes.join('-')} network (${recipe.task}) with its trained weights and its preprocessing recipe.`,
  );
  out.push('Needs only Python 3 and numpy. Usage:');
  out.push('');
  out.push('    python3 model.py data.csv            # predictions to the screen, as CSV');
  out.push('    python3 model.py data.csv out.csv    # predictions to a file');
  out.push('');
  out.push(
    'Notation of the course: X is (n_x, m), one column per example; W[l] is (n_l, n_{l-1}).',
  );
  out.push(
    'forward(X) is forward propagation; backward(X, Y) one pass of backpropagation, to study or to',
  );
  out.push('continue training with W = W - alpha * dW. The CSV is read as UTF-8.');
  out.push('"""');
  out.push('import csv');
  out.push('import math');
  out.push('import re');
  out.push('import sys');
  out.push('');
  out.push('import numpy as np');
  out.push('');
  out.push(...recipeConstantLines(recipe));
  out.push('');
  out.push(...weightLines(net));
  out.push('');
  out.push('');
  out.push(...activationLines());
  out.push('');
  out.push('');
  out.push(...forwardLines(net));
  out.push('');
  out.push('');
  out.push(...recipeReplayLines());
  out.push('');
  out.push('');
  out.push(...backwardLines(net));
  out.push('');
  out.push('');
  out.push('def predict(X):');
  out.push('    """Predictions as (label or value, list of class probabilities)."""');
  out.push('    AL = forward(X)');
  out.push('    m = X.shape[1]');
  out.push('    if TASK == "binary":');
  out.push('        p = AL[0]');
  out.push(
    '        return [(CLASS_LABELS[1] if p[i] >= 0.5 else CLASS_LABELS[0], [1 - p[i], p[i]]) for i in range(m)]',
  );
  out.push('    if TASK == "multiclass":');
  out.push('        k = np.argmax(AL, axis=0)');
  out.push('        return [(CLASS_LABELS[k[i]], list(AL[:, i])) for i in range(m)]');
  out.push('    y = AL[0] * TARGET_SCALE[1] + TARGET_SCALE[0] if TARGET_SCALE else AL[0]');
  out.push('    return [(y[i], []) for i in range(m)]');
  out.push('');
  out.push('');
  out.push('def main(argv):');
  out.push('    if len(argv) < 2:');
  out.push('        sys.exit("Usage: python3 " + argv[0] + " data.csv [predictions.csv]")');
  out.push('    X = read_csv(argv[1])');
  out.push(
    '    out = open(argv[2], "w", newline="", encoding="utf-8") if len(argv) > 2 else sys.stdout',
  );
  out.push('    writer = csv.writer(out)');
  out.push('    writer.writerow(["prediction"] + ["p(" + c + ")" for c in CLASS_LABELS])');
  out.push('    for value, probs in predict(X):');
  out.push(
    '        writer.writerow([value if isinstance(value, str) else repr(float(value))] + [repr(float(p)) for p in probs])',
  );
  out.push('    if out is not sys.stdout:');
  out.push('        out.close()');
  out.push('');
  out.push('');
  out.push('if __name__ == "__main__":');
  out.push('    main(sys.argv)');
  out.push('');
  return out.join('\n');
}
