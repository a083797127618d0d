import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint.boundaries.js';

// Node's globals, for the plain JavaScript files (TypeScript files get them from @types/node).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'Blob',
    'TextDecoder',
    'TextEncoder',
    'AbortController',
    'AbortSignal',
    'performance',
    'setTimeout',
    'clearTimeout',
    'setImmediate',
  ].map((name) => [name, 'readonly']),
);

const LOG_RULE =
  "Log through 'log' from src/github/log.ts (the CLI: through src/cli/terminal.ts): it stops a file name or a server message from forging a workflow command.";

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'tools/node24/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
  {
    // The runner reads every line of the action's stdout and stderr as a possible workflow command, and file
    // names and server messages are not ours: plain log lines go through src/github/log.ts, which neutralises
    // them, and the CLI writes through src/cli/terminal.ts, which does the same for every CI.
    files: ['*.ts', 'src/**/*.ts', 'validate/**/*.ts', 'deploy/**/*.ts'],
    ignores: ['src/github/log.ts', 'src/cli/terminal.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'core', property: 'info', message: LOG_RULE },
        { object: 'process', property: 'stdout', message: LOG_RULE },
        { object: 'process', property: 'stderr', message: LOG_RULE },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@actions/core'] > ImportSpecifier[imported.name='info']",
          message: LOG_RULE,
        },
        {
          // Only under its usual name can the rule above see core.info.
          selector:
            "ImportDeclaration[source.value='@actions/core'] > :matches(ImportNamespaceSpecifier, ImportDefaultSpecifier)[local.name!='core']",
          message: "Import @actions/core as 'core' (import * as core from '@actions/core').",
        },
      ],
    },
  },
);
