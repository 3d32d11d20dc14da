// KaTeX and its stylesheet (fonts bundled by Vite), loaded on demand by katex-action.ts so that the
// app's start-up script stays small.
import 'katex/dist/katex.min.css';
import katex from 'katex';

/** TeX to HTML + MathML. trust: false refuses \href, \url, \includegraphics and HTML commands. */
export function renderTex(tex: string, displayMode = true): string {
  return katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    strict: 'ignore',
    trust: false,
    output: 'htmlAndMathml',
  });
}
