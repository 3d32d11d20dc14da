/// <reference types="vitest/config" />
import { availableParallelism } from 'node:os';
import { defaultClientConditions, defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './scripts/browser.mjs';
import { wasmKernels } from './scripts/wasm-plugin.mjs';
import manifestEn from './src/lib/i18n/messages/en/manifest.json' with { type: 'json' };
import manifestEs from './src/lib/i18n/messages/es/manifest.json' with { type: 'json' };
import manifestDe from './src/lib/i18n/messages/de/manifest.json' with { type: 'json' };

/** Cross-origin isolation: SharedArrayBuffer needs both headers on the page and on the workers. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const appVersion = process.env.APP_VERSION ?? new Date().toISOString();

/** The manifest's texts come from the catalogues: English as the value, the other languages as
 * `<member>_localized` (where the browser supports manifest localization). */
type ManifestKey = keyof typeof manifestEn;
const translations = { es: manifestEs, de: manifestDe };
function text<M extends string>(
  member: M,
  key: ManifestKey,
): Record<M, string> & Record<`${M}_localized`, Record<string, { value: string }>> {
  return {
    [member]: manifestEn[key],
    [`${member}_localized`]: Object.fromEntries(
      Object.entries(translations).map(([lang, m]) => [lang, { value: m[key] }]),
    ),
  } as Record<M, string> & Record<`${M}_localized`, Record<string, { value: string }>>;
}
/** The tables the app opens (file handler, share target): CSV and TSV. */
const TABLES = { 'text/csv': ['.csv'], 'text/tab-separated-values': ['.tsv'] };
/** A manifest file handler (the plugin's type predates launch_type). */
interface FileHandler {
  action: string;
  accept: Record<string, string[]>;
  launch_type?: 'single-client' | 'multiple-clients';
}
const FILE_HANDLERS: FileHandler[] = [
  { action: './?open=data', accept: TABLES, launch_type: 'single-client' },
  // Models, runs, lesson packs and backups: the app tells them apart by their content.
  {
    action: './?open=import',
    accept: { 'application/json': ['.json'] },
    launch_type: 'single-client',
  },
];
const appIcon = [{ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' }];

export default defineConfig({
  publicDir: 'static',
  // Pre-bundle what the workers import: discovered late, Vite re-optimizes and reloads the page,
  // which kills a browser test's worker mid-run on a fresh clone.
  optimizeDeps: { include: ['comlink', 'papaparse', 'idb', 'intl-messageformat'] },
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: 4173, strictPort: true },
  worker: { format: 'es', plugins: () => [wasmKernels()] },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 1200 },
  plugins: [
    wasmKernels(),
    svelte(),
    // Cleanup after each component test is set up in the dom project only: node tests never mount.
    svelteTesting({ autoCleanup: false }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        // A stable identity, whatever start_url becomes (resolved against the origin).
        id: 'backprop-lab',
        name: 'Backprop Lab',
        short_name: 'Backprop Lab',
        ...text('description', 'manifest.description'),
        theme_color: '#1f3a5f',
        background_color: '#0f1720',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        // A file or shortcut opened while the app is open goes to that window (launchQueue).
        launch_handler: { client_mode: ['focus-existing', 'auto'] },
        file_handlers: FILE_HANDLERS,
        // CSV files shared from another app: the service worker takes the POST (src/sw.ts).
        share_target: {
          action: './share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            title: 'title',
            text: 'text',
            files: [
              { name: 'files', accept: ['text/csv', '.csv', 'text/tab-separated-values', '.tsv'] },
            ],
          },
        },
        shortcuts: [
          {
            ...text('name', 'manifest.shortcut.sample'),
            ...text('short_name', 'manifest.shortcut.sampleShort'),
            ...text('description', 'manifest.shortcut.sampleDescription'),
            url: './?sample=iris',
            icons: appIcon,
          },
          {
            ...text('name', 'manifest.shortcut.library'),
            ...text('description', 'manifest.shortcut.libraryDescription'),
            url: './?open=library',
            icons: appIcon,
          },
        ],
        // Made by scripts/screenshot.mjs.
        screenshots: [
          {
            src: 'screenshots/wide.png',
            sizes: '1280x800',
            type: 'image/png',
            form_factor: 'wide',
            ...text('label', 'manifest.screenshot.wide'),
          },
          {
            src: 'screenshots/narrow.png',
            sizes: '412x915',
            type: 'image/png',
            form_factor: 'narrow',
            ...text('label', 'manifest.screenshot.narrow'),
          },
        ],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      injectManifest: {
        // png: the manifest's screenshots (the install dialog may show them offline).
        globPatterns: ['**/*.{js,css,html,csv,json,wasm,woff2,svg,txt,png}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  test: {
    // Worker threads start faster than forked processes (about 30 s less on 2 cores).
    pool: 'threads',
    // One test file per core (the default leaves one core idle: on 2 cores the Node tests took 102 s
    // on one thread, 67 s on two). The browser project still runs its files one at a time.
    maxWorkers: Math.max(1, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'workers/**/*.test.ts',
            'src/**/*.test.ts',
            'scripts/**/*.test.ts',
            'e2e/support/*.test.ts',
          ],
          exclude: ['**/*.browser.test.ts', '**/*.dom.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['src/**/*.dom.test.ts'],
          setupFiles: ['@testing-library/svelte/vitest'],
        },
      },
      {
        extends: true,
        // Svelte's client build (mount) for component tests in Chromium, not its server build.
        resolve: { conditions: [...defaultClientConditions] },
        test: {
          name: 'browser',
          // One file at a time: the 100 MB CSV test and the thread-pool tests need the cores to themselves.
          fileParallelism: false,
          include: ['**/*.browser.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
