// Builds one ncc bundle per entry into dist/<name>/: the actions (their action.yml files point there) and the
// `kestra-actions` command (package.json's bin), each one file with the licenses of what it bundles.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const entries = {
  main: 'index.ts',
  validate: 'validate/index.ts',
  deploy: 'deploy/index.ts',
  cli: 'src/cli/index.ts',
};
for (const [name, entry] of Object.entries(entries)) {
  rmSync(`dist/${name}`, { recursive: true, force: true });
  execFileSync(
    'node_modules/.bin/ncc',
    ['build', entry, '-o', `dist/${name}`, '--license', 'licenses.txt', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
}

// The command runs as `kestra-actions`: its bundle starts with the shebang that npm's bin link needs.
const cli = 'dist/cli/index.js';
const text = readFileSync(cli, 'utf8');
const SHEBANG = '#!/usr/bin/env node\n';
if (!text.startsWith('#!')) writeFileSync(cli, SHEBANG + text);
chmodSync(cli, 0o755);
