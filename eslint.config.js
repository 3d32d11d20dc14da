import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// The house's walls, enforced here so that breaking one fails `npm run lint` (and `npm test`).
// Tested by scripts/lint-rules.test.ts with deliberately broken files.
/** Source files (not tests, not tooling) in the two realms. */
const SOURCES = ['src/**/*.ts', 'src/**/*.svelte', 'workers/**/*.ts'];
const TESTS = ['**/*.test.ts', '**/*.test-worker.ts', '**/*harness.worker.ts'];
/** What the page may not take from the workers' realm except as types: everything in core, data,
 *  trainer, labs and view but their plain-data `types.ts` files and the samples list. */
const WALL = {
  group: [
    '**/workers/core/**',
    '!**/workers/core/types.ts',
    '**/workers/data/**',
    '!**/workers/data/types.ts',
    '!**/workers/data/samples.ts',
    '**/workers/trainer/**',
    '!**/workers/trainer/types.ts',
    '**/workers/labs/**',
    '!**/workers/labs/types.ts',
    '**/workers/view/**',
    '!**/workers/view/types.ts',
  ],
  allowTypeImports: true,
  message:
    'The page imports only types (and plain-data types.ts / the samples list) from the workers: ask a worker to compute it.',
};
const MAX_LINES = 450;

export default ts.config(
  { ignores: ['dist/', 'dist-*/', 'node_modules/', 'reports/', 'test-results/', 'static/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'svelte/no-at-html-tags': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'A focused test skips the rest of the suite.' },
        {
          object: 'test',
          property: 'only',
          message: 'A focused test skips the rest of the suite.',
        },
        {
          object: 'describe',
          property: 'only',
          message: 'A focused test skips the rest of the suite.',
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    // No god files: a source file stays under MAX_LINES lines (WebAssembly text is not linted).
    files: SOURCES,
    ignores: TESTS,
    rules: {
      'max-lines': ['error', { max: MAX_LINES, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // The wall between page and workers, seen from the page.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [WALL] }] },
  },
  {
    // Arrows point down inside the page: state never reaches up into the views.
    files: ['src/lib/state/**/*.ts'],
    ignores: TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            WALL,
            {
              group: ['**/components/**'],
              message:
                'src/lib/state never imports src/lib/components: move the shared logic into state.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workers never import the page.
    files: ['workers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '../src', '../../src'],
              message:
                'Nothing under workers/ imports src/: the page depends on the workers, not the other way.',
            },
          ],
        },
      ],
    },
  },
  {
    // Every worker entry lives under workers/.
    files: ['src/**/*.worker.ts', 'src/**/*.worker.js'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'Worker entries live under workers/, not src/.' },
      ],
    },
  },
  {
    files: ['workers/core/**/*.ts'],
    ignores: ['workers/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'indexedDB', 'localStorage', 'self'],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use the seeded generator (workers/core/rng.ts).',
        },
      ],
    },
  },
);
