import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  // Libraries in node_modules (e.g. the testing library's legacy wrapper, pre-bundled in Vitest
  // browser mode) compile in their own mode, not forced into runes.
  vitePlugin: {
    dynamicCompileOptions: ({ filename }) =>
      filename.includes('/node_modules/') ? { runes: undefined } : undefined,
  },
};
