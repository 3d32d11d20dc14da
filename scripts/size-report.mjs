// Measures a production build: the shell's JavaScript (what the page loads before it can show
// anything: index.html's scripts and their static imports, not lazy chunks or workers), gzipped,
// plus CSS, workers, precache and the whole folder. Usage: node scripts/size-report.mjs [dist]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The budget for the shell's JavaScript, gzipped. */
export const SHELL_JS_BUDGET_BYTES = 150 * 1024;

/** @param {string} dir @returns {string[]} paths relative to dir, with '/' */
function walk(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
}

/** @param {Buffer} b */
const gz = (b) => gzipSync(b).length;

/** Static `import`/`export … from` specifiers of an ES module (minified or not); dynamic imports excluded.
 * @param {string} code @returns {string[]} */
export function staticImports(code) {
  /** @type {string[]} */
  const out = [];
  const re =
    /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?(["'`])([^"'`]+?\.m?js)\1/g;
  for (const m of code.matchAll(re)) out.push(m[2]);
  return out;
}

/** The JS files index.html loads eagerly (module scripts and modulepreloads), as dist-relative paths.
 * @param {string} html @returns {string[]} */
export function entryScripts(html) {
  /** @type {string[]} */
  const out = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) out.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"[^>]*>/g))
    out.push(m[1]);
  return out.map((p) => p.replace(/^\.?\//, ''));
}

/** @param {string} dist */
export function measureBuild(dist) {
  const files = walk(dist);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  /** @type {Set<string>} */
  const shell = new Set();
  const queue = entryScripts(html);
  while (queue.length) {
    const f = /** @type {string} */ (queue.shift());
    if (shell.has(f) || !files.includes(f)) continue;
    shell.add(f);
    for (const spec of staticImports(readFileSync(join(dist, f), 'utf8'))) {
      const target = spec.startsWith('/')
        ? spec.slice(1)
        : posix.normalize(posix.join(posix.dirname(f), spec));
      queue.push(target);
    }
  }
  const size = (/** @type {string} */ f) => statSync(join(dist, f)).size;
  const gzOf = (/** @type {string} */ f) => gz(readFileSync(join(dist, f)));
  const sum = (/** @type {string[]} */ list, /** @type {(f: string) => number} */ fn) =>
    list.reduce((a, f) => a + fn(f), 0);
  const shellJs = [...shell];
  const css = files.filter((f) => f.endsWith('.css'));
  const workers = files.filter((f) => f.endsWith('.js') && /worker/i.test(f) && f !== 'sw.js');
  const lazy = files.filter(
    (f) => f.startsWith('assets/') && f.endsWith('.js') && !shell.has(f) && !workers.includes(f),
  );
  const sw = files.includes('sw.js') ? readFileSync(join(dist, 'sw.js'), 'utf8') : '';
  const precacheEntries = (sw.match(/"url":"/g) ?? []).length;
  return {
    shellJs,
    shellJsBytes: sum(shellJs, size),
    shellJsGzip: sum(shellJs, gzOf),
    cssGzip: sum(css, gzOf),
    workerJsBytes: sum(workers, size),
    workerJsGzip: sum(workers, gzOf),
    lazyJsGzip: sum(lazy, gzOf),
    totalBytes: sum(files, size),
    totalGzip: sum(files, gzOf),
    fileCount: files.length,
    precacheEntries,
  };
}

const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = process.argv[2] ?? 'dist';
  const m = measureBuild(dist);
  console.log(`Build ${dirname(dist + '/x')}:`);
  console.log(
    `  shell JS      ${kb(m.shellJsBytes)} raw, ${kb(m.shellJsGzip)} gzipped (budget ${kb(SHELL_JS_BUDGET_BYTES)}) — ${m.shellJs.join(', ')}`,
  );
  console.log(`  CSS           ${kb(m.cssGzip)} gzipped`);
  console.log(`  worker JS     ${kb(m.workerJsBytes)} raw, ${kb(m.workerJsGzip)} gzipped`);
  console.log(`  lazy JS       ${kb(m.lazyJsGzip)} gzipped`);
  console.log(
    `  whole build   ${kb(m.totalBytes)} raw, ${kb(m.totalGzip)} gzipped, ${m.fileCount} files, ${m.precacheEntries} precached`,
  );
  process.exit(m.shellJsGzip <= SHELL_JS_BUDGET_BYTES ? 0 : 1);
}
