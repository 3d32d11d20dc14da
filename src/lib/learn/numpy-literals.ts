// Python literals for the NumPy export: numbers, strings, lists and matrices as Python source text.

/** A finite JS number as a Python float literal (shortest round-trip digits). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x))
    throw new Error(
      `Cannot export the value ${x}: the model holds a number that is not finite. Retrain it first.`,
    );
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A JS string as a Python string literal (JSON string escapes are valid Python escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

export function pyMatrix(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  indent: string,
): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(pyFloat(values[r * cols + c]));
    lines.push(`${indent}    [${row.join(', ')}],`);
  }
  return `np.array([\n${lines.join('\n')}\n${indent}])`;
}

export function pyList(items: string[]): string {
  return `[${items.join(', ')}]`;
}
