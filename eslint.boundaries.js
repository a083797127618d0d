// The house's import rules, one block per folder (docs/architecture.md#boundaries). In a flat config a later
// block replaces an earlier `no-restricted-imports` for the same file, so every file matches one block, and
// each block lists every group its files may not import.

const group = (patterns, message) => ({ group: patterns, message });

const OUTSIDE = group(
  ['**/validate/*', '**/deploy/*', '**/emulator/*', '**/scripts/*', '**/main.js'],
  'src/ never imports an entry point, the emulator or a script.',
);
const NETWORK = group(['undici', 'undici/*'], 'Only src/kestra/ speaks HTTP.');
const RUNNER = group(['@actions/*'], '@actions/* belongs to the GitHub front-end, src/github/.');
const FRONTENDS = group(
  ['**/github/*', '**/cli/*'],
  'Only the entries and the front-ends import a front-end.',
);
const RENDER = group(['**/render/*'], "Rendering words is the front-ends' job (src/render/ serves them).");
const CORE = group(['**/core/*'], 'This layer sits below the core and never imports it.');
const CLIENT = group(
  ['**/kestra/client*', '**/kestra/connect*', '**/kestra/http*', '**/kestra/index*', '**/kestra/auth*'],
  'Below the front-ends, the Kestra client is known by its interface (src/kestra/api.ts) only.',
);
const ORCHESTRATION = group(
  ['**/pipeline.js', '**/deploy-flows.js', '**/deploy-files.js', '**/check-flows.js'],
  'A stage never imports the orchestration that runs it.',
);

const rule = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups }] });
const ORCHESTRATION_FILES = [
  'src/core/pipeline.ts',
  'src/core/deploy-flows.ts',
  'src/core/deploy-files.ts',
  'src/core/check-flows.ts',
];

export const boundaries = [
  // The model: data at the bottom of the house.
  { files: ['src/model/**/*.ts'], rules: rule(OUTSIDE, NETWORK, RUNNER, FRONTENDS, RENDER, CORE, CLIENT) },
  // The stages: pure, given settings and a client, returning data.
  {
    files: ['src/core/**/*.ts'],
    ignores: ORCHESTRATION_FILES,
    rules: rule(OUTSIDE, NETWORK, RUNNER, FRONTENDS, RENDER, CLIENT, ORCHESTRATION),
  },
  { files: ORCHESTRATION_FILES, rules: rule(OUTSIDE, NETWORK, RUNNER, FRONTENDS, RENDER, CLIENT) },
  // The client: the only HTTP, and nothing of the pipeline.
  { files: ['src/kestra/**/*.ts'], rules: rule(OUTSIDE, RUNNER, FRONTENDS, RENDER, CORE) },
  // Words for every front-end: text from the model.
  { files: ['src/render/**/*.ts'], rules: rule(OUTSIDE, NETWORK, RUNNER, FRONTENDS, CORE, CLIENT) },
  // The GitHub front-end: inputs in, the runner out.
  {
    files: ['src/github/**/*.ts'],
    rules: rule(OUTSIDE, NETWORK, group(['**/cli/*'], 'One front-end never imports another.')),
  },
  // The command-line front-end: flags in, the terminal out; no runner, no HTTP of its own to Kestra.
  {
    files: ['src/cli/**/*.ts'],
    rules: rule(OUTSIDE, NETWORK, RUNNER, group(['**/github/*'], 'One front-end never imports another.')),
  },
  // The entries: one import, their front-end.
  {
    files: ['*.ts', 'validate/**/*.ts', 'deploy/**/*.ts'],
    rules: rule(
      NETWORK,
      group(
        ['**/src/core/*', '**/src/kestra/*', '**/src/render/*', '**/src/model/*'],
        'An entry imports its front-end (src/github/) and nothing else of src/.',
      ),
    ),
  },
  // The emulator stands in for Kestra: sharing the product's code would test the product against itself.
  {
    files: ['emulator/**/*.ts'],
    rules: rule(group(['**/src/*', '**/src/**'], 'The emulator never imports the product (src/).')),
  },
];
