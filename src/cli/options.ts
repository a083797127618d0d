// The command line's flags: the action inputs under the same names, defaults and meanings (a test holds this
// table to validate/action.yml and deploy/action.yml), plus the flags only a terminal needs. The help text
// and the README's flag table are generated from it.

export type Command = 'validate' | 'deploy';
export const COMMANDS: readonly Command[] = ['validate', 'deploy'];

export interface Flag {
  /** Kebab-case, without the leading `--`. */
  name: string;
  /**
   * The action input this flag stands for; absent for a flag only the CLI has. `--header` stands for
   * `headers` (one header per flag instead of one per line).
   */
  input?: string;
  /** `boolean`: a presence flag (`--dry-run`, or `--dry-run=false`); the others take a value. */
  kind: 'string' | 'boolean' | 'integer' | 'list';
  /** May be given more than once (each value adds to the list). */
  repeatable?: boolean;
  commands: readonly Command[];
  /** As in action.yml: what a left-out flag means. */
  default?: string;
  /** Commands that refuse to run without it. */
  requiredBy?: readonly Command[];
  /** The environment variable read when the flag is not given (the flag wins). */
  env?: string;
  /** A credential: scrubbed from every message, never echoed. */
  secret?: boolean;
  /** The value's name in the help, e.g. `URL`. */
  value?: string;
  help: string;
}

const BOTH = COMMANDS;
const DEPLOY: readonly Command[] = ['deploy'];

export const FLAGS: readonly Flag[] = [
  {
    name: 'server',
    input: 'server',
    kind: 'string',
    commands: BOTH,
    default: '',
    requiredBy: DEPLOY,
    env: 'KESTRA_SERVER',
    value: 'URL',
    help: 'URL of the Kestra server. Without it, validate checks offline with the structural rules.',
  },
  {
    name: 'user',
    input: 'user',
    kind: 'string',
    commands: BOTH,
    default: '',
    env: 'KESTRA_USER',
    value: 'NAME',
    help: 'User name (e-mail) for basic authentication.',
  },
  {
    name: 'password',
    input: 'password',
    kind: 'string',
    commands: BOTH,
    default: '',
    env: 'KESTRA_PASSWORD',
    secret: true,
    value: 'PASSWORD',
    help: 'Password for basic authentication; prefer the variable.',
  },
  {
    name: 'api-token',
    input: 'api-token',
    kind: 'string',
    commands: BOTH,
    default: '',
    env: 'KESTRA_API_TOKEN',
    secret: true,
    value: 'TOKEN',
    help: 'API token (Enterprise Edition), sent as a Bearer token; prefer the variable.',
  },
  {
    name: 'tenant',
    input: 'tenant',
    kind: 'string',
    commands: BOTH,
    default: 'main',
    env: 'KESTRA_TENANT',
    value: 'ID',
    help: 'Tenant id; open-source Kestra has only main.',
  },
  {
    name: 'header',
    input: 'headers',
    kind: 'list',
    repeatable: true,
    commands: BOTH,
    default: '',
    value: "'NAME: VALUE'",
    help: 'Extra request header (e.g. for a proxy in front of Kestra); repeat for more.',
  },
  {
    name: 'timeout',
    input: 'timeout',
    kind: 'integer',
    commands: BOTH,
    default: '30',
    value: 'SECONDS',
    help: 'Seconds allowed for each request to the server (1 to 3600).',
  },
  {
    name: 'include',
    input: 'include',
    kind: 'list',
    repeatable: true,
    commands: BOTH,
    default: '**',
    value: 'GLOB',
    help: 'Glob of the files to manage, relative to DIRECTORY (commas separate globs); repeat for more.',
  },
  {
    name: 'exclude',
    input: 'exclude',
    kind: 'list',
    repeatable: true,
    commands: BOTH,
    default: '',
    value: 'GLOB',
    help: 'Glob of the files to leave out (a folder takes everything under it); repeat for more.',
  },
  {
    name: 'kestra-version',
    input: 'kestra-version',
    kind: 'string',
    commands: BOTH,
    default: '',
    value: 'MAJOR.MINOR',
    help:
      "Kestra version the offline rules check against (1.3, 2.0); default: the server's, else none " +
      '(warnings at what 2.0 removed). With 1.x, the report ends with a "Ready for Kestra 2.0?" table.',
  },
  {
    name: 'fail-on-warnings',
    input: 'fail-on-warnings',
    kind: 'boolean',
    commands: BOTH,
    default: 'false',
    help: 'Fail when the server reports warnings, not only errors.',
  },
  {
    name: 'fix',
    input: 'fix',
    kind: 'boolean',
    commands: ['validate'],
    default: 'false',
    help:
      'Rewrite the old io.kestra.core.* type aliases to their canonical names in the files (with a 2.x target, ' +
      'also each ForEach that can safely become a Loop), then check.',
  },
  {
    name: 'comment-id',
    input: 'comment-id',
    kind: 'string',
    commands: BOTH,
    default: '',
    value: 'NAME',
    help: "Name of this job's merge request note (default: one per command, directory, filters, server).",
  },
  {
    name: 'resource',
    input: 'resource',
    kind: 'string',
    commands: DEPLOY,
    default: 'flows',
    value: 'KIND',
    help: 'What to deploy: flows or namespace-files.',
  },
  {
    name: 'namespace',
    input: 'namespace',
    kind: 'string',
    commands: DEPLOY,
    default: '',
    value: 'NAMESPACE',
    help: 'Flows: the namespace every flow must declare (or is rewritten to); files: the target namespace.',
  },
  {
    name: 'override-namespace',
    input: 'override-namespace',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    help: "Rewrite each flow's namespace to --namespace.",
  },
  {
    name: 'delete',
    input: 'delete',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    help: 'Delete what the server has and Git no longer has, in the namespaces deployed only.',
  },
  {
    name: 'max-deletes',
    input: 'max-deletes',
    kind: 'string',
    commands: DEPLOY,
    default: 'unlimited',
    value: 'N',
    help: 'Refuse the whole deploy (nothing written) when it would delete more than N flows or files.',
  },
  {
    name: 'dry-run',
    input: 'dry-run',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    help: 'Compute and print the plan; write nothing.',
  },
  {
    name: 'read-only',
    input: 'read-only',
    kind: 'boolean',
    commands: DEPLOY,
    default: 'false',
    help: 'Deploy every flow with the label system.readOnly: true (managed from Git).',
  },
  {
    name: 'to',
    input: 'to',
    kind: 'string',
    commands: DEPLOY,
    default: '/',
    value: 'FOLDER',
    help: 'Remote folder for namespace files.',
  },
  // Only the command line has these.
  {
    name: 'format',
    kind: 'string',
    commands: BOTH,
    default: 'text',
    value: 'FORMAT',
    help: 'text (a report for people) or json (the results document on stdout, nothing else there).',
  },
  {
    name: 'quiet',
    kind: 'boolean',
    commands: BOTH,
    default: 'false',
    help: 'Only the findings, warnings and the verdict.',
  },
  {
    name: 'no-color',
    kind: 'boolean',
    commands: BOTH,
    default: 'false',
    help: 'No colours (also NO_COLOR=1); colours are used on a terminal only.',
  },
  {
    name: 'codequality',
    kind: 'string',
    commands: BOTH,
    value: 'FILE',
    help: 'Write the findings as a GitLab Code Quality report.',
  },
  {
    name: 'junit',
    kind: 'string',
    commands: BOTH,
    value: 'FILE',
    help: 'Write the results as a JUnit XML report.',
  },
  {
    name: 'sarif',
    kind: 'string',
    commands: BOTH,
    value: 'FILE',
    help: 'Write the findings as a SARIF 2.1.0 report.',
  },
  {
    name: 'plan-file',
    kind: 'string',
    commands: DEPLOY,
    value: 'FILE',
    help: 'Write the whole plan as JSON: every change, with the diff of each text update.',
  },
  {
    name: 'gitlab-token',
    kind: 'string',
    commands: BOTH,
    env: 'GITLAB_TOKEN',
    secret: true,
    value: 'TOKEN',
    help: 'In a merge request pipeline, post the results as one note, updated on every run (api scope).',
  },
];

/** Flags that act and exit at once, wherever they stand. */
export const META_FLAGS = ['help', 'version'] as const;

export const flagNamed = (name: string): Flag | undefined => FLAGS.find((f) => f.name === name);
