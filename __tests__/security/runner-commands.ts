// The workflow commands the GitHub runner would act on in a step's stdout, read as the runner reads them
// (actions/runner, ActionCommand.cs and ActionCommandManager.cs): every line ends at \n, \r or \r\n; a line
// whose text after leading white space starts with `::name` is a command when `name` is known, and failing
// that the legacy form `##[name]` is looked for anywhere in the line. `stop-commands` ignores every
// command until its token comes back.

export interface RunnerCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  line: string;
}

const KNOWN = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
];

const unescape = (s: string, property: boolean): string => {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
};

function parseV2(line: string, known: Set<string>): RunnerCommand | undefined {
  const text = line.trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!known.has(command.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
    }
  }
  return { command, properties, data: unescape(text.slice(end + 2), false), line };
}

function parseV1(line: string, known: Set<string>): RunnerCommand | undefined {
  const start = line.indexOf('##[');
  if (start < 0) return undefined;
  const close = line.indexOf(']', start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!known.has(command.toLowerCase())) return undefined;
  return { command, properties: {}, data: line.slice(close + 1), line };
}

/** Every command the runner would process, in order (`stop-commands` and its token included). */
export function runnerCommands(stdout: string): RunnerCommand[] {
  const known = new Set(KNOWN);
  const out: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const cmd = parseV2(line, known) ?? parseV1(line, known);
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.command.toLowerCase() === stopToken.toLowerCase()) {
        known.delete(stopToken.toLowerCase());
        stopToken = undefined;
        out.push(cmd);
      }
      continue;
    }
    if (cmd.command === 'stop-commands') {
      stopToken = cmd.data;
      known.add(cmd.data.toLowerCase());
    }
    out.push(cmd);
  }
  return out;
}
