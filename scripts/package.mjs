// Builds one ncc bundle per action into dist/<action>/ (the action.yml files point there).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const entries = { main: 'index.ts', validate: 'validate/index.ts', deploy: 'deploy/index.ts' };
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
