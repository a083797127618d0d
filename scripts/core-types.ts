// Generates the lists of Kestra's core task, trigger, condition and task-runner types, with their aliases, per
// Kestra version, from Kestra's own source (docs/kestra-api.md#core-types). Only the names are written: to
// src/core/check/core-types.generated.ts (the offline rule) and emulator/core-types.generated.ts (the
// emulator's registry: it may not import src/).
//
// Run: npx tsx scripts/core-types.ts <git dir of kestra-io/kestra or a fork with its history> [--from <its
// name>] [--seen <a folder of Kestra's own newer valid test flows>]
//
// A class is a core plugin when it is a public, non-abstract class annotated @Plugin under
// core/src/main/java/io/kestra/plugin/core/; its kind comes from its superclass chain (Task, AbstractTrigger,
// Condition, TaskRunner). Dashboard charts and data sources are not flow types and are left out.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { parseAllDocuments } from 'yaml';

/** The commit read for each version, and why that one. */
interface Source {
  version: string;
  commit: string;
  note: string;
}

// The snapshot has no release tags past 0.20. A minor's release branch starts where develop moves to the next
// SNAPSHOT (gradle.properties): the commit just before that move stands for the x.y.0 release. 1.3 is read
// from its release branch; 2.0 from develop before its GA.
const SOURCES: Source[] = [
  {
    version: '0.22',
    commit: 'bc8bd7b00b7a4a6a243902571e8c5cfc7ef47fc3',
    note: 'develop before 0.23.0-SNAPSHOT (2025-03-25)',
  },
  {
    version: '0.23',
    commit: '83c6333c6f925ae355b7b22e09541ed7e76a49ad',
    note: 'develop before 0.24.0-SNAPSHOT (2025-06-03)',
  },
  {
    version: '0.24',
    commit: 'a229036d8d715f7cd161ef00a119cd611638ae2c',
    note: 'develop before 1.0.0-SNAPSHOT (2025-07-29)',
  },
  {
    version: '1.0',
    commit: 'a3c9b35b251270fd48ed92cc16e0ff78537ff09b',
    note: 'develop before 1.1.0-SNAPSHOT (2025-09-08)',
  },
  {
    version: '1.1',
    commit: 'ee63c33ef31fce4de25aeb2be75023bb5ae82b35',
    note: 'develop before 1.2.0-SNAPSHOT (2025-11-04)',
  },
  {
    version: '1.2',
    commit: 'cbc4690cb5b773736e5e1abc8dafed1de791b9b2',
    note: 'develop before 1.3.0-SNAPSHOT (2026-01-06)',
  },
  {
    version: '1.3',
    commit: '82cb2d921d9800179597ec324a5fd9df593b644b',
    note: 'releases/v1.3.x at 1.3.19 (2026-05-21)',
  },
  {
    version: '2.0',
    commit: '9636a34646a61a51f510ce8d8e76bdc90f816af6',
    note: 'develop at 2.0.0-SNAPSHOT (2026-07-01), before GA',
  },
];

const ROOT = 'core/src/main/java/io/kestra/plugin/core/';
export type Kind = 'task' | 'trigger' | 'condition' | 'runner';
// The base classes of Kestra's model that decide a plugin's kind.
const BASES: Record<string, Kind> = {
  Task: 'task',
  AbstractTrigger: 'trigger',
  AbstractWebhookTrigger: 'trigger',
  Condition: 'condition',
  TaskRunner: 'runner',
};

interface JavaClass {
  name: string;
  superclass?: string;
  plugin: boolean;
  concrete: boolean;
  aliases: string[];
}

/** The facts about a file's top-level public class that decide whether it is a plugin, read from its text. */
export function readClass(fqcn: string, text: string): JavaClass | undefined {
  // Declarations and annotations start their line; comments and example text blocks are left as they are.
  const code = text;
  const simple = fqcn.slice(fqcn.lastIndexOf('.') + 1);
  const decl = new RegExp(
    `^[ \\t]*((?:(?:public|abstract|final|sealed|non-sealed)\\s+)*)class\\s+${simple}\\b(?:\\s*<[^{]*?>)?\\s*(?:extends\\s+([\\w.]+))?`,
    'm',
  ).exec(code);
  if (!decl) return undefined;
  const head = code.slice(0, decl.index);
  const plugin = /^[ \t]*@Plugin\b/m.exec(head);
  const aliases: string[] = [];
  if (plugin) {
    const m = /aliases\s*=\s*(\{[^}]*\}|"[^"]*")/.exec(head.slice(plugin.index));
    if (m) for (const s of m[1]!.matchAll(/"([^"]+)"/g)) aliases.push(s[1]!);
  }
  return {
    name: fqcn,
    superclass: decl[2]?.split('.').pop(),
    plugin: plugin !== null,
    concrete: !/\babstract\b/.test(decl[1] ?? ''),
    aliases,
  };
}

export interface CoreType {
  name: string;
  kind: Kind;
  aliases: string[];
}

/** The core plugins among a version's classes: a kind is found by following superclasses to a base. */
export function corePlugins(classes: JavaClass[]): CoreType[] {
  const bySimple = new Map(classes.map((c) => [c.name.slice(c.name.lastIndexOf('.') + 1), c]));
  const kindOf = (c: JavaClass, depth = 0): Kind | undefined => {
    if (!c.superclass || depth > 10) return undefined;
    return (
      BASES[c.superclass] ??
      (bySimple.has(c.superclass) ? kindOf(bySimple.get(c.superclass)!, depth + 1) : undefined)
    );
  };
  return classes
    .filter((c) => c.plugin && c.concrete)
    .flatMap((c) => {
      const kind = kindOf(c);
      return kind ? [{ name: c.name, kind, aliases: c.aliases }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function readVersion(gitDir: string, commit: string): CoreType[] {
  const git = (...args: string[]): string =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const files = git('ls-tree', '-r', '--name-only', commit, ROOT)
    .split('\n')
    .filter((f) => f.endsWith('.java') && !f.endsWith('package-info.java'));
  // One `cat-file --batch` for every file of the version.
  const out = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
    input: files.map((f) => `${commit}:${f}`).join('\n') + '\n',
    maxBuffer: 1 << 28,
  });
  const classes: JavaClass[] = [];
  let at = 0;
  for (const file of files) {
    const header = out.subarray(at, out.indexOf(10, at)).toString();
    const size = Number(header.split(' ')[2]);
    at = out.indexOf(10, at) + 1;
    const text = out.subarray(at, at + size).toString('utf8');
    at += size + 1;
    const fqcn = file.slice('core/src/main/java/'.length, -'.java'.length).replace(/\//g, '.');
    const c = readClass(fqcn, text);
    if (c) classes.push(c);
  }
  return corePlugins(classes);
}

// Types Kestra's own valid test flows use are core types of the Kestra they were written for. Those newer
// than the last commit read (the 2.0 list comes from before GA) are added to the newest version, so that no
// valid flow of Kestra's is refused. Kestra's test-only classes and dashboards are not flow types.
const CORE_PREFIXES = [
  'io.kestra.plugin.core.',
  'io.kestra.core.tasks.',
  'io.kestra.core.models.conditions.types.',
  'io.kestra.core.models.triggers.types.',
];
const NOT_FLOW_TYPES = ['io.kestra.core.tasks.test.', 'io.kestra.plugin.core.dashboard.'];

/** The core type names written as `type:` in the YAML files of a folder, sorted. */
function typesSeen(dir: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'type' && typeof value === 'string') found.add(value);
        visit(value);
      }
    }
  };
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) visit(doc.toJS());
  }
  return [...found]
    .filter((t) => CORE_PREFIXES.some((p) => t.startsWith(p)) && !NOT_FLOW_TYPES.some((p) => t.startsWith(p)))
    .sort();
}

/** Names from a later index of Kestra's source than any list (scripts/core-types-later.txt), without `#` lines. */
const later: string[] = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'core-types-later.txt'),
  'utf8',
)
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

interface Seen {
  dir: string;
  names: string[];
}

/** One line per name: the name, its kind (`alias:` + the class it stands for), the versions that have it. */
function render(
  sources: Source[],
  perVersion: Map<string, CoreType[]>,
  from: string,
  seen: Seen | undefined,
  forEmulator: boolean,
): string {
  const versions = [...perVersion.keys()];
  const rows = new Map<string, { kind: string; versions: string[] }>();
  const add = (name: string, kind: string, version: string): void => {
    const row = rows.get(name) ?? { kind, versions: [] };
    if (!row.versions.includes(version)) row.versions.push(version);
    rows.set(name, row);
  };
  for (const [version, types] of perVersion) {
    for (const t of types) {
      add(t.name, t.kind, version);
      for (const a of t.aliases) add(a, `alias:${t.name}`, version);
    }
  }
  for (const name of seen?.names ?? []) add(name, 'seen', versions[versions.length - 1]!);
  for (const name of later) if (!rows.has(name)) add(name, 'seen', versions[versions.length - 1]!);
  const lines = [
    `// Generated by scripts/core-types.ts: do not edit. Regenerate: npx tsx scripts/core-types.ts <kestra git dir> [--from <its name>] [--seen <Kestra's newer valid test flows>]`,
    `// Kestra's core task, trigger, condition and task-runner types (@Plugin classes under io.kestra.plugin.core)`,
    `// and the aliases they declare, per version. Source: kestra-io/kestra's history, read from ${from}:`,
    ...sources.map((s) => `//   ${s.version}: ${s.commit.slice(0, 12)}, ${s.note}`),
    ...(seen?.names.length
      ? [
          `//   ${versions[versions.length - 1]} also (kind 'seen'): the core types Kestra's own valid test flows of later commits use`,
          `//   (${seen.dir}/, core/src/test/resources/flows/valids/ of kestra-io/kestra).`,
        ]
      : []),
    ...(later.length
      ? [
          `//   ${versions[versions.length - 1]} also (kind 'seen'): the class names of scripts/core-types-later.txt, from a later`,
          `//   index of Kestra's source, whose release is not known.`,
        ]
      : []),
    ...(sources.some((s) => !s.note.startsWith('tag '))
      ? [
          `// Where no release tag was in the clone read, the commit that stands for the release; see docs/kestra-api.md#core-types.`,
        ]
      : []),
    forEmulator
      ? `// The emulator's copy of src/core/check/core-types.generated.ts (the emulator may not import src/).`
      : '',
    '',
    `/** The versions listed, oldest first. */`,
    `export const CORE_TYPE_VERSIONS = ${JSON.stringify(versions).replace(/"/g, "'").replace(/,/g, ', ')} as const;`,
    '',
    `/** [name, kind ('task', 'trigger', 'condition', 'runner', 'seen') or 'alias:<class>', its versions]. */`,
    `export const CORE_TYPES: readonly (readonly [string, string, string])[] = [`,
    ...[...rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, r]) => `  ['${name}', '${r.kind}', '${r.versions.join(' ')}'],`),
    `];`,
    '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { from: { type: 'string' }, seen: { type: 'string' } },
  });
  const gitDir = positionals[0];
  if (!gitDir) {
    console.error(
      'usage: npx tsx scripts/core-types.ts <git dir of kestra-io/kestra or a fork> [--from <its name>] [--seen <dir>]',
    );
    process.exit(2);
  }
  const perVersion = new Map<string, CoreType[]>();
  // A clone with Kestra's release tags reads each version at its x.y.0 tag instead.
  const sources = SOURCES.map((s) => {
    const tag = `v${s.version}.0`;
    try {
      const commit = execFileSync(
        'git',
        ['--git-dir', gitDir, 'rev-parse', '--verify', '-q', `${tag}^{commit}`],
        {
          encoding: 'utf8',
        },
      ).trim();
      return { version: s.version, commit, note: `tag ${tag}` };
    } catch {
      return s;
    }
  });
  for (const s of sources) {
    const types = readVersion(gitDir, s.commit);
    perVersion.set(s.version, types);
    console.log(`${s.version}: ${types.length} types, ${types.flatMap((t) => t.aliases).length} aliases`);
  }
  const known = new Set([...perVersion.values()].flat().flatMap((t) => [t.name, ...t.aliases]));
  const seen = values.seen
    ? { dir: path.basename(values.seen), names: typesSeen(values.seen).filter((t) => !known.has(t)) }
    : undefined;
  if (seen) console.log(`seen in ${values.seen}, in no list: ${seen.names.join(', ') || 'none'}`);
  const from = values.from ?? 'a clone';
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  // Written as the repository's formatter would, so that regenerating changes nothing by itself.
  const write = async (file: string, text: string): Promise<void> => {
    const target = path.join(repo, file);
    const options = (await prettier.resolveConfig(target)) ?? {};
    writeFileSync(target, await prettier.format(text, { ...options, filepath: target }));
  };
  await write('src/core/check/core-types.generated.ts', render(sources, perVersion, from, seen, false));
  await write('emulator/core-types.generated.ts', render(sources, perVersion, from, seen, true));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
