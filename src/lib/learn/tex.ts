// Small TeX helpers for the formulas panel. Everything that reaches KaTeX is built here from numbers
// and fixed strings; user text (feature names, target name, class labels) only ever goes through
// texText(), which escapes every character TeX treats specially.

const TEX_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\textasciitilde{}',
};

/** Escapes a user string so it reads as plain text inside \text{...}. Control characters are dropped. */
export function escapeTexText(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) continue;
    out += TEX_ESCAPES[ch] ?? ch;
  }
  return out;
}

/** A user string as a TeX text box: \text{escaped}. */
export function texText(s: string): string {
  return `\\text{${escapeTexText(s)}}`;
}

/** Layer superscript in the notes' notation: X^{[l]}. */
export function sup(symbol: string, l: number | string): string {
  return `${symbol}^{[${l}]}`;
}

/** A symbol with its shape written under it: \underset{8 \times 4}{W^{[1]}}. */
export function shaped(symbolTex: string, rows: number | string, cols: number | string): string {
  return `\\underset{${rows} \\times ${cols}}{${symbolTex}}`;
}

/** A number for TeX: short, and never in exponent notation KaTeX would misread. */
export function texNumber(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '\\infty' : x < 0 ? '-\\infty' : '\\text{NaN}';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) {
    const [mant, exp] = x.toExponential(2).split('e');
    return `${Number(mant)} \\times 10^{${Number(exp)}}`;
  }
  return String(Number(x.toPrecision(4)));
}
