// Flags and environment variables → the core's settings, checked before the first request with the checks
// the action runs (src/model/settings-checks.ts, src/kestra/connection-checks.ts). A flag wins over its
// variable; a bad value is a usage error (exit code 2) whose message never quotes a secret.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientOptions } from '../kestra/api.js';
import { bareToken, hasBearerPrefix, isSendableHeaderValue, reservedHeaders } from '../kestra/auth.js';
import { connectionSecrets } from '../kestra/connect.js';
import { connectionProblem, plainHttpWarning } from '../kestra/connection-checks.js';
import type { DeploySettings, SourceSettings } from '../model/settings.js';
import { parseKestraVersion } from '../model/settings-checks.js';
import {
  checkCommentId,
  checkDeployTarget,
  InputError,
  parseBoolean,
  parseEnum,
  parseHeaderLines,
  parseInteger,
  parseMaxDeletes,
  refuseTemplate,
  splitList,
} from '../model/settings-checks.js';
import type { Parsed } from './args.js';
import { flagNamed, FLAGS, type Command } from './options.js';

export interface CliSettings {
  command: Command;
  source: SourceSettings;
  /** Absent: validate offline. Always present for deploy. */
  connection?: ClientOptions;
  failOnWarnings: boolean;
  /** Validate only: rewrite the old aliases in the files before checking. */
  fix: boolean;
  /** Deploy only. */
  deploy?: Omit<DeploySettings, keyof SourceSettings | 'connection' | 'failOnWarnings'>;
  commentId?: string;
  format: 'text' | 'json';
  quiet: boolean;
  noColor: boolean;
  reports: { codequality?: string; junit?: string; sarif?: string; plan?: string };
  gitlabToken?: string;
  /** What to say before the run (a pasted `Bearer ` prefix, credentials over plain http…). */
  notices: string[];
  warnings: string[];
}

type Run = Extract<Parsed, { kind: 'run' }>;

/** A flag's value as given: the flag's last value, else its variable (even empty), else undefined. */
function given(run: Run, env: NodeJS.ProcessEnv, name: string): { value: string; from: string } | undefined {
  const flag = flagNamed(name);
  const values = run.values.get(name);
  if (values?.length) return { value: (values[values.length - 1] as string).trim(), from: `--${name}` };
  if (flag?.env && env[flag.env] !== undefined)
    return { value: (env[flag.env] as string).trim(), from: flag.env };
  return undefined;
}

/** Every secret the command line and the environment hold, long enough to scrub (as the client does). */
export function secretsGiven(run: Parsed, env: NodeJS.ProcessEnv): string[] {
  if (run.kind !== 'run') return [];
  const values = FLAGS.filter((f) => f.secret).flatMap((f) => [
    ...(run.values.get(f.name) ?? []),
    ...(f.env && env[f.env] ? [env[f.env] as string] : []),
  ]);
  const trimmed = values.flatMap((v) => [v, v.trim(), bareToken(v) ?? '']);
  return [...new Set(trimmed)].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

/** The secrets of the connection as the client sends them (auth headers, extra header values). */
export function settingsSecrets(settings: CliSettings): string[] {
  const found = [...(settings.connection ? connectionSecrets(settings.connection) : [])];
  if (settings.gitlabToken && settings.gitlabToken.length >= 6) found.push(settings.gitlabToken);
  return found;
}

const empty = (from: string, hint: string): InputError =>
  new InputError(`'${from}' is empty${from.startsWith('--') ? '' : ' (an unset variable?)'}: ${hint}`);

export function readSettings(run: Run, env: NodeJS.ProcessEnv, cwd: string): CliSettings {
  const get = (name: string): string | undefined => given(run, env, name)?.value;
  const boolean = (name: string): boolean => {
    const value = get(name);
    return value === undefined ? false : parseBoolean(`--${name}`, value);
  };
  const notEmpty = (name: string, fallback: string, hint: string): string => {
    const value = given(run, env, name);
    if (value === undefined) return fallback;
    if (!value.value) throw empty(value.from, hint);
    return value.value;
  };
  const list = (name: string, fallback: string[], hint?: string): string[] => {
    const values = run.values.get(name);
    if (!values) return fallback;
    const items = values.flatMap(splitList);
    if (hint && items.length === 0) throw empty(`--${name}`, hint);
    return items;
  };
  const file = (name: string): string | undefined => {
    const value = get(name);
    if (value === '') throw empty(`--${name}`, 'give the path of the file to write');
    return value;
  };

  const source = readSource(run.directory, cwd, {
    include: list('include', ['**'], "give a glob, or leave '--include' out to take every file ('**')"),
    exclude: list('exclude', []),
  });
  const kestraVersion = parseKestraVersion('--kestra-version', get('kestra-version') ?? '');
  if (kestraVersion) source.kestraVersion = kestraVersion;
  const connection = readConnection(run, get, notEmpty);
  if (run.command === 'deploy' && !connection.options) {
    throw new InputError(
      "'server' is required to deploy: the URL of your Kestra server (--server or KESTRA_SERVER), like https://kestra.example.com",
    );
  }
  const commentId = get('comment-id') || undefined;
  checkCommentId(commentId);
  const format = parseEnum('--format', notEmpty('format', 'text', 'write text or json'), [
    'text',
    'json',
  ] as const);
  return {
    command: run.command,
    source,
    connection: connection.options,
    failOnWarnings: boolean('fail-on-warnings'),
    fix: boolean('fix'),
    deploy: run.command === 'deploy' ? readDeploy(get, boolean, notEmpty) : undefined,
    commentId,
    format,
    quiet: boolean('quiet'),
    noColor: boolean('no-color'),
    reports: {
      codequality: file('codequality'),
      junit: file('junit'),
      sarif: file('sarif'),
      plan: file('plan-file'),
    },
    gitlabToken: get('gitlab-token') || undefined,
    notices: connection.notices,
    warnings: connection.warnings,
  };
}

/**
 * DIRECTORY must be a folder. Paths in messages and reports are relative to the working directory; a
 * folder outside it is its own root.
 */
function readSource(
  directory: string,
  cwd: string,
  globs: { include: string[]; exclude: string[] },
): SourceSettings {
  const absolute = path.resolve(cwd, directory);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(absolute);
  } catch {
    stat = undefined;
  }
  if (!stat) throw new InputError(`DIRECTORY '${directory}' does not exist (looked for ${absolute})`);
  if (!stat.isDirectory()) {
    throw new InputError(
      `DIRECTORY '${directory}' is a file, not a folder: give its folder, and its name with --include`,
    );
  }
  const relative = path.relative(cwd, absolute);
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  return outside
    ? { workspace: absolute, directory: '.', ...globs }
    : { workspace: cwd, directory: directory, ...globs };
}

function readConnection(
  run: Run,
  get: (name: string) => string | undefined,
  notEmpty: (name: string, fallback: string, hint: string) => string,
): { options?: ClientOptions; notices: string[]; warnings: string[] } {
  const notices: string[] = [];
  const warnings: string[] = [];
  const password = get('password') || undefined;
  const givenToken = get('api-token') || undefined;
  const server = get('server') || undefined;
  const user = get('user') || undefined;
  if (!server) {
    if (user || password || givenToken) {
      warnings.push('Credentials were given but no server: they are ignored and flows are checked offline.');
    }
    return { notices, warnings };
  }
  const problem = connectionProblem({ server, user, password, apiToken: givenToken });
  if (problem) throw new InputError(problem);
  if (hasBearerPrefix(givenToken)) {
    notices.push("'api-token' starts with 'Bearer ': the prefix is dropped (the client adds it itself)");
  }
  const apiToken = bareToken(givenToken);
  const headerValues = run.values.get('header') ?? [];
  const options: ClientOptions = {
    server,
    user,
    password,
    apiToken,
    tenant: notEmpty('tenant', 'main', "give the tenant id, or leave it out for 'main'"),
    headers: parseHeaderLines('--header', headerValues, {
      reserved: reservedHeaders(!!(apiToken || (user && password))),
      sendable: isSendableHeaderValue,
      label: (n) => `--header #${n}`,
      earlier: (n) => `#${n}`,
      shape: "write --header 'Name: value'",
      remove: 'remove it',
    }),
    timeoutSeconds: parseInteger('--timeout', get('timeout') ?? '', {
      default: 30,
      min: 1,
      max: 3600,
      what: 'seconds',
    }),
  };
  const plainHttp = plainHttpWarning(options);
  if (plainHttp) warnings.push(plainHttp);
  return { options, notices, warnings };
}

function readDeploy(
  get: (name: string) => string | undefined,
  boolean: (name: string) => boolean,
  notEmpty: (name: string, fallback: string, hint: string) => string,
): NonNullable<CliSettings['deploy']> {
  refuseTemplate(get('resource'));
  const resource = parseEnum(
    '--resource',
    notEmpty('resource', 'flows', 'write flows or namespace-files, or leave it out for flows'),
    ['flows', 'namespace-files'] as const,
    { flow: 'flows', namespace_files: 'namespace-files', 'namespace-file': 'namespace-files' },
  );
  const namespace = get('namespace') || undefined;
  const overrideNamespace = boolean('override-namespace');
  checkDeployTarget({ resource, namespace, overrideNamespace });
  return {
    resource,
    namespace,
    overrideNamespace,
    delete: boolean('delete'),
    maxDeletes: parseMaxDeletes(
      '--max-deletes',
      notEmpty('max-deletes', 'unlimited', "give a number of deletions, or leave it out for 'unlimited'"),
    ),
    dryRun: boolean('dry-run'),
    readOnly: boolean('read-only'),
    // Only namespace files are written under `to`: there, empty is refused rather than read as '/'.
    to:
      resource === 'namespace-files'
        ? notEmpty('to', '/', "give the namespace folder the files go to, or leave it out for '/'")
        : '/',
  };
}
