// `kestra-actions --help`, written from the flag table (src/cli/options.ts), as the README's flag table is.
import { FLAGS, type Flag } from './options.js';

/** `--server URL`, `--dry-run`. */
export const flagUsage = (f: Flag): string =>
  `--${f.name}${f.kind === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}`}`;

/** What a flag falls back to, in words: its variable, then its default. */
export function flagFallback(f: Flag): string {
  const parts: string[] = [];
  if (f.env) parts.push(`env ${f.env}`);
  if (f.requiredBy?.length) parts.push(`required by ${f.requiredBy.join(', ')}`);
  else if (f.default && f.kind !== 'boolean') parts.push(`default ${f.default}`);
  return parts.join('; ');
}

const SECTIONS: [string, (f: Flag) => boolean][] = [
  [
    'Connection',
    (f) => ['server', 'user', 'password', 'api-token', 'tenant', 'header', 'timeout'].includes(f.name),
  ],
  [
    'Files and checks',
    (f) => ['include', 'exclude', 'kestra-version', 'fail-on-warnings', 'fix'].includes(f.name),
  ],
  ['Deploy only', (f) => f.commands.length === 1 && f.commands[0] === 'deploy'],
  [
    'Output and CI',
    (f) =>
      ['format', 'quiet', 'no-color', 'codequality', 'junit', 'sarif', 'gitlab-token', 'comment-id'].includes(
        f.name,
      ),
  ],
];

export function helpText(version: string): string {
  const width = Math.max(...FLAGS.map((f) => flagUsage(f).length)) + 2;
  const lines = [
    `kestra-actions ${version}: validate and deploy Kestra flows and namespace files, from any CI or a laptop.`,
    '',
    'Usage:',
    '  kestra-actions validate [DIRECTORY] [flags]   check every flow (offline without --server)',
    '  kestra-actions deploy [DIRECTORY] [flags]     validate, then deploy (nothing is written if anything is invalid)',
    '  kestra-actions --help | --version',
    '',
    'DIRECTORY is searched recursively (default: the current folder). A flag wins over its variable.',
    'Boolean flags take no value (--dry-run), or =true / =false.',
  ];
  for (const [title, belongs] of SECTIONS) {
    lines.push('', `${title}:`);
    for (const f of FLAGS.filter(belongs)) {
      const fallback = flagFallback(f);
      lines.push(`  ${flagUsage(f).padEnd(width)}${f.help}${fallback ? ` (${fallback})` : ''}`);
    }
  }
  lines.push(
    '',
    'Exit codes: 0 success; 1 invalid flows, or a deploy refused or failed; 2 a usage error.',
    'On GitLab CI the stages fold into sections; on GitHub Actions and Azure Pipelines findings are annotations.',
    'More: https://github.com/kestra-io/kestra-actions#command-line-any-ci',
  );
  return `${lines.join('\n')}\n`;
}
