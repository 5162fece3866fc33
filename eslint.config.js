import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The arrows of docs/ARCHITECTURE.md, enforced: each layer lists what it must not import. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.tmp/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      ...forbid(
        [
          'node:*',
          '../store/*',
          '../sync/*',
          '../formats/*',
          '../connectors/*',
          '../cli/*',
          '../server/*',
          'kysely',
          'pg',
          'better-sqlite3',
        ],
        'src/core is the pure engine: no node:*, no database, no other layer.',
      ),
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'The engine never reads the clock: take `now` as an argument.',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'The engine never reads the clock: take `now` as an argument.',
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'The engine is deterministic: take ids as arguments.',
        },
      ],
    },
  },
  {
    files: ['src/formats/**/*.ts', 'src/store/**/*.ts', 'src/connectors/**/*.ts'],
    rules: forbid(
      ['../sync/*', '../cli/*', '../server/*'],
      'formats, store and connectors only import core.',
    ),
  },
  {
    files: ['src/sync/**/*.ts'],
    rules: forbid(['../cli/*', '../server/*'], 'sync is called by cli and server, never the reverse.'),
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: forbid(
      ['node:*', '**/src/store/*', '**/src/sync/*', '**/src/server/*', '**/src/cli/*', '**/src/formats/*'],
      'web/ runs in the browser: it talks to the server through src/api and may use src/core types.',
    ),
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
