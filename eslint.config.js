import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  // One clock (src/common/clock.ts): the service never reads the system time by itself.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/common/clock.ts', 'src/demo/main.ts', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read the time from the injected Clock (src/common/clock.ts).' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Read the time from the injected Clock (src/common/clock.ts).' },
      ],
    },
  },
  // Type-aware checks on the service (issue 18): a promise is awaited, returned or voided on purpose;
  // a switch over a closed union handles every member (a new phase, role or permission is a compile-time list of places).
  {
    files: ['src/**/*.ts', 'migrations/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // The judging rules stay pure (no Nest, no TypeORM, no I/O), and so do the *-rules.ts decision
  // modules beside the services: entities only as types. A rule that needs data gets it as an argument.
  {
    files: ['src/judging/**/*.ts', 'src/**/*-rules.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'mysql2', 'mysql2/*', 'better-sqlite3', 'fastify', '@fastify/*', 'passport*', 'exceljs', 'pdfkit', 'pdf-lib'],
            message: 'Judging rules are pure: no framework, database or document library (issue 18).' },
          { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:worker_threads'],
            message: 'Judging rules do no I/O: take the data as an argument.' },
          { group: ['**/*.entities.js', '**/*.service.js', '**/*.repository.js', '**/database/*'], allowTypeImports: true,
            message: 'Entities only as types in judging rules; services and the database not at all.' },
        ],
      }],
    },
  },
  // The web interface: plain ES modules run by the browser as they are (no build step).
  {
    files: ['web/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser } },
    rules: { 'no-console': 'error', eqeqeq: ['error', 'smart'], 'no-var': 'error', 'prefer-const': 'error' },
  },
  {
    files: ['web/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
