import { describe, expect, it } from 'vitest';
import { entryScripts, staticImports } from './size-report.mjs';

describe('size report: what counts as the shell', () => {
  it('follows static imports and re-exports, minified or not, but not dynamic imports', () => {
    const code =
      'import{a as b}from"./x-1.js";import"./y.js";export{c}from"./z.js";' +
      'const q=import("./lazy.js");\nimport { d } from \'./d.mjs\';import*as e from`./e.js`';
    expect(staticImports(code)).toEqual(['./x-1.js', './y.js', './z.js', './d.mjs', './e.js']);
  });
  it('ignores words that merely contain "import" and non-JS specifiers', () => {
    expect(staticImports('reimport"./no.js";import"./style.css";a.important="./b.js"')).toEqual([]);
  });
  it('reads module scripts and modulepreloads from index.html', () => {
    const html =
      '<script type="module" crossorigin src="/assets/index-A.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/vendor-B.js"><link rel="stylesheet" href="/assets/i.css">';
    expect(entryScripts(html)).toEqual(['assets/index-A.js', 'assets/vendor-B.js']);
  });
});
