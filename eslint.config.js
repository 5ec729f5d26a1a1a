import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'recordings/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // ARCHITECTURE.md: the UI renders state and sends commands; it never runs a process.
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['execa', 'ssh2', 'node:child_process', 'child_process'],
        patterns: ['**/drivers/**', '**/sources/**', '**/lab/**'],
      }],
    },
  },
  {
    // The lab stands apart: reached only through its driver and its control API.
    files: ['src/lab/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/ui/**', '**/engine/**', '**/cli/**', '**/drivers/**', '**/scenario/**'] }],
    },
  },
);
