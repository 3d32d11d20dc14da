import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

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
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
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
