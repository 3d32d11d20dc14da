// Vite plugin: `import bytes from './x.wat'` compiles WebAssembly text with wabt (an npm package,
// so it works offline) and inlines the binary as a Uint8Array. Works in dev, build, workers and vitest.
import { readFile } from 'node:fs/promises';
import createWabt from 'wabt';

/** @type {Promise<any> | undefined} */
let wabtPromise;

/** @param {string} text @param {string} name @returns {Promise<Uint8Array>} */
export async function compileWat(text, name) {
  wabtPromise ??= createWabt();
  const wabt = await wabtPromise;
  const features = {
    simd: true,
    threads: true,
    relaxed_simd: true,
    multi_value: true,
    bulk_memory: true,
  };
  const module = wabt.parseWat(name, text, features);
  try {
    module.resolveNames();
    // validate() takes its own feature set (without it, shared memories and relaxed SIMD are refused).
    module.validate(features);
    return module.toBinary({ log: false }).buffer;
  } finally {
    module.destroy();
  }
}

/** @returns {import('vite').Plugin} */
export function wasmKernels() {
  return {
    name: 'backprop-lab:wat',
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      const text = await readFile(id, 'utf8');
      const bytes = await compileWat(text, id);
      const base64 = Buffer.from(bytes).toString('base64');
      return {
        code:
          `const b64 = ${JSON.stringify(base64)};\n` +
          `const bin = atob(b64);\n` +
          `const bytes = new Uint8Array(bin.length);\n` +
          `for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n` +
          `export default bytes;\n`,
        map: null,
      };
    },
  };
}
