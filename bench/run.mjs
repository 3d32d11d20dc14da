// `npm run bench`: builds the bench page (bench/vite.config.ts -> dist-bench), serves it with
// COOP/COEP so it is cross-origin isolated, drives headless Chromium with Playwright, runs every
// (config, engine) job in a fresh worker, prints a table and writes bench-results.json.
//
// Environment: BENCH_QUICK=1 (short runs for development), BENCH_ONLY=T1,matmul (config prefixes),
// BENCH_ENGINES=backprop-lab,tfjs-wasm (engine filter).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync, spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/browser.mjs';
import { ensureDependencies } from '../scripts/ensure.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..');
// The app's dependencies, then the benchmark's own peers (TensorFlow.js, brain.js), which the app
// never installs: bench/package.json.
ensureDependencies();
if (!existsSync(join(here, 'node_modules', '.package-lock.json'))) {
  console.log('> npm ci --prefix bench');
  execSync('npm ci --prefix bench --no-audit --no-fund', { stdio: 'inherit', cwd: repo });
}
// Type check the benchmark against its peers (the app's tsconfig leaves bench/ out).
execSync(
  `${JSON.stringify(process.execPath)} node_modules/typescript/bin/tsc -p bench/tsconfig.json`,
  {
    stdio: 'inherit',
    cwd: repo,
  },
);
const dist = join(repo, 'dist-bench');
const quick = process.env.BENCH_QUICK === '1';
const seconds = quick ? 0.5 : 3;
const repetitions = 3;

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

async function buildPage() {
  // In a child process: a Vite build in this process leaves it in a state where the Chromium it
  // launches next dies as soon as a page starts a nested worker.
  const vite = join(repo, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(here, 'vite.config.ts'), '--logLevel', 'error'],
    {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`bench build failed (exit ${r.status})`);
  const wasmDir = join(here, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  await mkdir(join(dist, 'tfjs-wasm'), { recursive: true });
  for (const f of await readdir(wasmDir)) {
    if (f.endsWith('.wasm')) await copyFile(join(wasmDir, f), join(dist, 'tfjs-wasm', f));
  }
}

function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dist, path);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** @param {number[]} xs */
/**
 * @typedef {{ config: string; engine: string; examples_per_s?: number; gflops?: number; median_of?: number;
 *   min?: number; max?: number; loss?: number; notes?: Record<string, string | number>; error?: string }} Row
 */

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** @param {number | undefined} v @param {string} unit */
function fmt(v, unit) {
  if (v === undefined || !Number.isFinite(v)) return '-';
  if (unit === 'gflops') return v.toFixed(1);
  return v >= 1e5
    ? `${(v / 1000).toFixed(0)}k`
    : v >= 1e3
      ? `${(v / 1000).toFixed(1)}k`
      : v.toFixed(0);
}

async function main() {
  /** @type {Array<{ name: string; kind: 'train' | 'matmul'; engines: string[] }>} */
  let CONFIGS = [];
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  const engineFilter = process.env.BENCH_ENGINES?.split(',').filter(Boolean);
  console.log(`Building the bench page${quick ? ' (BENCH_QUICK: 0.5 s per measurement)' : ''}...`);
  if (process.env.BENCH_NO_BUILD !== '1') await buildPage();
  const server = await serve();
  const port = server.address().port;
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
  /** @type {Row[]} */
  const results = [];
  /** @type {string[][]} */
  const rows = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [page] ${m.text()}`);
    });
    page.on('crash', () => console.error('  [page] crashed'));
    page.on('close', () => console.error('  [page] closed'));
    browser.on('disconnected', () => console.error('  [browser] disconnected'));
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    await page.waitForFunction(() => typeof window.runBench === 'function');
    const isolated = await page.evaluate(() => crossOriginIsolated);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(`Chromium ${browser.version()}, crossOriginIsolated=${isolated}, ${cores} cores`);
    if (!isolated) throw new Error('the bench page is not cross-origin isolated');
    CONFIGS = await page.evaluate(() => window.benchPlan);
    /** @param {{ engines: string[] }} c */
    const enginesFor = (c) => c.engines;
    // Where the kernel pool starts to pay (one thread vs two on square products).
    if (!only || only.some((p) => 'pool-threshold'.startsWith(p))) {
      try {
        const r = await page.evaluate(
          (j) => window.runBench(j),
          /** @type {import('./configs.ts').BenchJob} */ ({
            config: 'pool-threshold',
            engine: 'backprop-lab',
            seconds,
            repetitions: 1,
          }),
        );
        console.log(`  pool crossover (n: 1 thread / 2 threads): ${JSON.stringify(r.notes)}`);
        results.push({ config: 'pool-threshold', engine: 'backprop-lab', notes: r.notes });
      } catch (e) {
        console.log(`  pool crossover FAILED: ${String(e).split('\n')[0]}`);
      }
    }
    for (const config of CONFIGS) {
      if (only && !only.some((p) => config.name.startsWith(p))) continue;
      for (const engine of enginesFor(config)) {
        if (engineFilter && !engineFilter.includes(engine)) continue;
        const job = /** @type {import('./configs.ts').BenchJob} */ ({
          config: config.name,
          engine,
          seconds,
          repetitions,
        });
        process.stdout.write(`  ${config.name.padEnd(12)} ${engine.padEnd(17)} `);
        try {
          const r = await page.evaluate((j) => window.runBench(j), job);
          /** @type {Row} */
          const row = {
            config: r.config,
            engine: r.engine,
            [r.unit]: median(r.samples),
            median_of: r.samples.length,
            min: Math.min(...r.samples),
            max: Math.max(...r.samples),
          };
          if (r.loss !== undefined) row.loss = r.loss;
          if (r.notes && Object.keys(r.notes).length) row.notes = r.notes;
          results.push(row);
          console.log(
            `${fmt(row[r.unit], r.unit).padStart(8)} ${r.unit === 'gflops' ? 'GFLOP/s' : 'ex/s'}` +
              `  [${fmt(row.min, r.unit)} .. ${fmt(row.max, r.unit)}]` +
              (r.loss !== undefined ? `  loss ${r.loss.toFixed(4)}` : '') +
              (r.notes ? `  ${JSON.stringify(r.notes)}` : ''),
          );
        } catch (e) {
          console.log(`FAILED: ${String(e).split('\n')[0]}`);
          if (process.env.BENCH_DEBUG === '1') console.log(e);
          results.push({
            config: config.name,
            engine,
            error: String(e).split('\n').slice(0, 3).join(' '),
          });
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  // Table: one line per config, engines as columns, our ratio to the best other engine.
  const engines = [
    'backprop-lab',
    'backprop-lab-1t',
    'backprop-lab-auto',
    'backprop-lab-mt2',
    'tfjs-cpu',
    'tfjs-wasm',
    'tfjs-wasm-mt2',
    'brainjs',
  ];
  const header = ['config', ...engines, 'ours/best other', 'threads'];
  /** The threads column: the app's calibrated count, and its speed over one thread in this run. */
  /** @type {Array<{ config: string; threads: number; auto: number; single: number; ratio: number; calibration: string }>} */
  const threadRows = [];
  for (const config of CONFIGS) {
    const mine = results.filter((r) => r.config === config.name && !r.error);
    if (!mine.length) continue;
    const unit = config.kind === 'matmul' ? 'gflops' : 'examples_per_s';
    /** @param {string} e @returns {number | undefined} */
    const value = (e) => mine.find((r) => r.engine === e)?.[unit];
    /** @param {string} x @param {string} y */
    const ratioOf = (x, y) => (value(x) ?? NaN) / (value(y) ?? NaN);
    let ratio = '-';
    if (config.kind === 'matmul') {
      // thread for thread: ours 1 thread vs tfjs-wasm, ours pooled vs tfjs-wasm-mt2
      const r1 = ratioOf('backprop-lab', 'tfjs-wasm');
      const r2 = ratioOf('backprop-lab-mt2', 'tfjs-wasm-mt2');
      ratio = `${Number.isFinite(r1) ? r1.toFixed(2) : '-'}x / ${Number.isFinite(r2) ? r2.toFixed(2) : '-'}x`;
    } else {
      const others = engines
        .filter((e) => !e.startsWith('backprop-lab'))
        .map((e) => value(e) ?? NaN)
        .filter((v) => !Number.isNaN(v));
      const best = others.length ? Math.max(...others) : NaN;
      const r = (value('backprop-lab') ?? NaN) / best;
      if (Number.isFinite(r)) ratio = `${r.toFixed(2)}x`;
    }
    const auto = mine.find((r) => r.engine === 'backprop-lab-auto');
    let threadsCell = '-';
    if (auto?.notes?.ratio_vs_1t_interleaved !== undefined) {
      // Measured against one thread in the same worker, in alternating repetitions.
      const r = Number(auto.notes.ratio_vs_1t_interleaved);
      threadsCell = `${auto.notes.threads} (${r.toFixed(2)}x)`;
      threadRows.push({
        config: config.name,
        threads: Number(auto.notes.threads),
        auto: value('backprop-lab-auto') ?? NaN,
        single: Number(auto.notes.single_ex_s),
        ratio: r,
        calibration: `${auto.notes.calibration}, ${auto.notes.calibration_ms} ms${auto.notes.trial ? `; trial on the run's batches: pool ${auto.notes.trial}` : ''}`,
      });
    }
    rows.push([config.name, ...engines.map((e) => fmt(value(e), unit)), ratio, threadsCell]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    '\nexamples/s (backprop-lab: with the kernel pool of 2; -1t: one thread; -auto: the threads the app chooses, by calibration and trial). matmul rows: GFLOP/s, backprop-lab = 1 thread, -mt2 = pool of 2;',
  );
  console.log(
    'ratio: ours over the best other engine (matmul: 1 thread vs tfjs-wasm / 2 threads vs tfjs-wasm-mt2)',
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  if (threadRows.length) {
    // On two idle cores the chosen count must not lose to one thread, and two threads must pay 1.5x.
    console.log(
      "\nthreads: the app's choice (calibration, workers/trainer/threads.ts; trial on the run's batches, thread-trial.ts) against one thread, same run",
    );
    for (const t of threadRows) {
      const verdict =
        t.threads === 1 ? 'one thread chosen' : t.ratio >= 1.5 ? 'pays (>= 1.5x)' : 'below 1.5x';
      console.log(
        `  ${t.config.padEnd(8)} chosen ${t.threads} (calibration ${t.calibration})  ` +
          `${fmt(t.auto, 'examples_per_s')} ex/s vs ${fmt(t.single, 'examples_per_s')} ex/s on 1 thread  ` +
          `${t.ratio.toFixed(2)}x  ${verdict}`,
      );
    }
  }
  const t3 = results.find(
    (r) => r.config.startsWith('T3') && r.engine === 'backprop-lab' && r.notes?.arena_bytes,
  );
  const arena = Number(t3?.notes?.arena_bytes);
  if (arena)
    console.log(
      `\nArena for T3 (data + parameters + gradients + caches + kernel scratch): ${(arena / 2 ** 20).toFixed(2)} MiB`,
    );
  await writeFile(join(repo, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench-results.json');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
