// Lint: type-aware rules for the whole project, and a fence that keeps workflow code deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls',
  'url', 'util', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/', '.temporal/', '.data/', '.cache/', 'dist/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['bin/*.js', 'scripts/*.js', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Workflow code is replayed: it must not touch the clock, the disk, the network or the environment.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((name) => [name, `node:${name}`]).map((name) => ({
            name, message: 'Workflow code is deterministic: no Node built-ins.',
          })),
          ...['nodemailer', 'yaml', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'].map((name) => ({
            name, message: 'Workflow code does no I/O: call an activity instead.',
          })),
        ],
        patterns: [
          { group: ['node:*', '**/config/load-*', '**/config/environment*'], message: 'Workflow code does no I/O.' },
          // Activities are called through proxyActivities: their types only.
          { group: ['**/activities/*'], message: 'Import activities as types only.', allowTypeImports: true },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Workflow code must not read the environment.' },
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      ],
    },
  },
);
