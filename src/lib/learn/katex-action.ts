// A Svelte action that typesets TeX with KaTeX into its element. The HTML it writes is KaTeX's own
// output for TeX built by src/lib/learn (numbers and fixed strings; user text only through texText()).
// KaTeX runs with trust: false, so \href, \url, \includegraphics and raw HTML commands are refused.
import 'katex/dist/katex.min.css';
import katex from 'katex';

export function renderTex(tex: string, displayMode = true): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, strict: 'ignore', trust: false, output: 'htmlAndMathml' });
}

export function typeset(node: HTMLElement, tex: string): { update(t: string): void } {
  const draw = (t: string) => {
    node.innerHTML = renderTex(t, node.dataset.inline === undefined);
  };
  draw(tex);
  return { update: draw };
}
