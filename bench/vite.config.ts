// Separate build of the benchmark page (never part of the app): `node bench/run.mjs` builds it into
// dist-bench and serves it with cross-origin isolation headers.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { wasmKernels } from '../scripts/wasm-plugin.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [wasmKernels()],
  worker: { format: 'es', plugins: () => [wasmKernels()] },
  build: {
    outDir: fileURLToPath(new URL('../dist-bench', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Not minified: TF.js's threaded WebAssembly backend ships its Emscripten factory to its pthread
    // workers as `factory.toString()`, which breaks when a minifier renames what the factory closes over.
    minify: false,
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
