// ESLint's flat config: its recommended rules for the package (browser and Node.js globals: it runs in both) and
// the tests and benchmark (Node.js). Formatting is prettier's job.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      eqeqeq: 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.js', 'bench/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
    rules: { eqeqeq: 'error', 'no-var': 'error', 'prefer-const': 'error' },
  },
];
