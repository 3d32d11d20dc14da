/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './scripts/browser.mjs';
import { wasmKernels } from './scripts/wasm-plugin.mjs';

/** Cross-origin isolation: SharedArrayBuffer needs both headers on the page and on the workers. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const appVersion = process.env.APP_VERSION ?? new Date().toISOString();

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
    svelteTesting(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Backprop Lab',
        short_name: 'Backprop Lab',
        description:
          'Train neural networks on your own data, on your own device, and see the mathematics of training as it happens.',
        theme_color: '#1f3a5f',
        background_color: '#0f1720',
        display: 'standalone',
        start_url: '.',
        scope: '.',
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
        globPatterns: ['**/*.{js,css,html,csv,json,wasm,woff2,svg,txt}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['workers/**/*.test.ts', 'src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/*.dom.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['src/**/*.dom.test.ts'],
        },
      },
      {
        extends: true,
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
