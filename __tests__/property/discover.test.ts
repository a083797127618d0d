// Property: on any tree of files, folders and symbolic links (odd names, upper-case extensions, dot-folders,
// links that stay inside or leave), discoverFiles returns exactly the YAML files a plain walk of the tree finds
// — sorted, inside the directory, no dot-paths — or refuses with a DiscoverError, and never throws anything else.
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscoverError, discoverFiles } from '../../src/core/discover/discover.js';
import { discoverNamespaceFiles } from '../../src/core/discover/discover-files.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

const BASES = [
  'a',
  'Flow',
  'x y',
  'ünï',
  '漢字',
  '🚀',
  'a.b',
  '-dash',
  '[1]',
  'st*r',
  'q?',
  '{a,b}',
  '#hash',
  '!bang',
  '$(x)',
  "it's",
  'back\\slash',
  '%20',
];
const EXTENSIONS = ['', '.yml', '.yaml', '.YML', '.Yaml', '.yMl', '.txt', '.yml.bak', '.json', '.yml~'];
const DIRECTORY_NAMES = [
  'flows',
  'my flows',
  'fl[o]ws',
  'flöws',
  'a*b',
  'x?y',
  '.kestra',
  'f{a,b}',
  '#flows',
];

const name = fc
  .tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(...BASES), fc.constantFrom(...EXTENSIONS))
  .map(([dot, base, ext]) => (dot === 0 ? '.' : '') + base + ext);

type Kind = 'file' | 'dir' | 'linkFileIn' | 'linkFileOut' | 'linkDirIn' | 'linkDirOut' | 'broken';
const entry = fc.record({
  dirs: fc.array(name, { maxLength: 3 }),
  name,
  // Links that leave are rare: one of them anywhere turns the whole run into a refusal.
  kind: fc
    .integer({ min: 0, max: 19 })
    .map((n): Kind =>
      n < 9
        ? 'file'
        : n < 12
          ? 'dir'
          : n < 14
            ? 'linkFileIn'
            : n < 16
              ? 'linkDirIn'
              : n < 17
                ? 'broken'
                : n < 18
                  ? 'linkFileOut'
                  : n < 19
                    ? 'linkDirOut'
                    : 'file',
    ),
  pick: fc.nat(),
  relative: fc.boolean(),
});
const tree = fc.record({
  directory: fc.constantFrom(...DIRECTORY_NAMES),
  entries: fc.array(entry, { minLength: 1, maxLength: 14 }),
});

/** Builds the tree under `<root>/ws/<directory>`, with an `outside/` folder next to it for links to leave to. */
type Tree = typeof tree extends fc.Arbitrary<infer T> ? T : never;

function build(t: Tree): { workspace: string; directory: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prop-discover-'));
  roots.push(root);
  const workspace = path.join(root, 'ws');
  const directory = path.join(workspace, t.directory);
  fs.mkdirSync(directory, { recursive: true });
  const outside = path.join(workspace, 'outside');
  fs.mkdirSync(path.join(outside, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(outside, 'o.yml'), 'id: outside');
  fs.writeFileSync(path.join(outside, 'sub', 'deep.yaml'), 'id: outside');

  const files: string[] = [];
  const dirs: string[] = [directory];
  const taken = new Set<string>();
  for (const e of t.entries) {
    const parent = path.join(directory, ...e.dirs);
    const target = path.join(parent, e.name);
    // A name already used (as a file, a folder, or a folder on the way) is skipped.
    const chain = e.dirs.map((_, i) => path.join(directory, ...e.dirs.slice(0, i + 1)));
    if (taken.has(target) || chain.some((c) => files.includes(c)) || dirs.includes(target)) continue;
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch {
      continue; // a file sits where a folder should go
    }
    chain.forEach((c) => dirs.includes(c) || dirs.push(c));
    const link = (to: string): void =>
      fs.symlinkSync(e.relative ? path.relative(parent, to) || '.' : to, target);
    switch (e.kind) {
      case 'file':
        fs.writeFileSync(target, `id: f${files.length}\n`);
        files.push(target);
        break;
      case 'dir':
        fs.mkdirSync(target);
        dirs.push(target);
        break;
      case 'linkFileIn':
        if (files.length === 0) continue;
        link(files[e.pick % files.length]!);
        break;
      case 'linkFileOut':
        link(path.join(outside, 'o.yml'));
        break;
      case 'linkDirIn':
        link(dirs[e.pick % dirs.length]!);
        break;
      case 'linkDirOut':
        link(e.pick % 2 ? outside : path.join(outside, 'sub'));
        break;
      case 'broken':
        link(path.join(parent, 'does-not-exist.yml'));
        break;
    }
    taken.add(target);
  }
  return { workspace, directory };
}

const isInside = (parent: string, child: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

const isYaml = (name: string): boolean => /\.ya?ml$/i.test(name);

/** The reference: a plain recursive walk that follows links (stopping at cycles) and skips dot-names. */
function walk(
  workspace: string,
  directory: string,
  wanted: (name: string) => boolean = isYaml,
): { inside: string[]; leaving: string[] } {
  const realDirectory = fs.realpathSync(directory);
  const inside: string[] = [];
  const leaving: string[] = [];
  const visit = (dir: string, chain: string[]): void => {
    for (const n of fs.readdirSync(dir)) {
      if (n.startsWith('.')) continue;
      const p = path.join(dir, n);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(p);
      } catch {
        continue; // broken link
      }
      const real = fs.realpathSync(p);
      if (stat.isDirectory()) {
        if (!chain.includes(real)) visit(p, [...chain, real]);
      } else if (stat.isFile() && wanted(n)) {
        const rel = path.relative(workspace, p).split(path.sep).join('/');
        (isInside(realDirectory, real) ? inside : leaving).push(rel);
      }
    }
  };
  visit(directory, [realDirectory]);
  return { inside, leaving };
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('property: discoverFiles on random trees', () => {
  it('returns exactly the YAML files a plain walk finds, or a DiscoverError, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const { workspace, directory } = build(t);
        const expected = walk(workspace, directory);
        const relDirectory = path.relative(workspace, directory);
        let found: Awaited<ReturnType<typeof discoverFiles>>;
        try {
          found = await discoverFiles({ workspace, directory: relDirectory });
        } catch (error) {
          // Anything but a DiscoverError is a crash the user would see as a stack trace.
          expect(error).toBeInstanceOf(DiscoverError);
          const message = (error as Error).message;
          if (expected.leaving.length) expect(message).toMatch(/a symbolic link may not lead out of it/);
          else {
            expect(expected.inside).toEqual([]);
            expect(message).toMatch(/^No \.yml or \.yaml files in /);
          }
          return;
        }
        expect(expected.leaving).toEqual([]);
        const paths = found.map((f) => f.path);
        expect(paths).toEqual([...expected.inside].sort(byteOrder));
        expect(paths).toEqual([...paths].sort(byteOrder));
        const realDirectory = fs.realpathSync(directory);
        for (const f of found) {
          expect(isInside(directory, f.absolutePath)).toBe(true);
          expect(isInside(realDirectory, fs.realpathSync(f.absolutePath))).toBe(true);
          expect(
            path
              .relative(directory, f.absolutePath)
              .split(path.sep)
              .some((s) => s.startsWith('.')),
          ).toBe(false);
          expect(f.bytes.equals(fs.readFileSync(f.absolutePath))).toBe(true);
        }
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 60) },
    );
  }, 60_000);
});

const INCLUDES = [
  '**/*.yml',
  '**',
  '*',
  '**/*.txt',
  '*/*',
  '**/a*',
  '[aF]*/**',
  '**/?',
  'a/**',
  'x y/*.yaml',
];
const EXCLUDES = ['**/*.txt', 'a', '**/a.b', '*.yml', '[aF]*', '**/Flow*', 'x y', '**/*.{json,bak}'];
const globs = fc.record({
  include: fc.subarray(INCLUDES, { minLength: 1, maxLength: 2 }),
  exclude: fc.subarray(EXCLUDES, { maxLength: 2 }),
});

describe('property: namespace files and flows read include and exclude alike', () => {
  it('selects the same files as discoverFiles for the same globs, and refuses the same trees', async () => {
    await fc.assert(
      fc.asyncProperty(tree, globs, async (t, g) => {
        const { workspace, directory } = build(t);
        const relDirectory = path.relative(workspace, directory);
        const outcome = async (run: () => Promise<string[]>): Promise<string[] | 'refused'> => {
          try {
            return (await run()).sort(byteOrder);
          } catch (error) {
            expect(error).toBeInstanceOf(DiscoverError);
            const message = (error as Error).message;
            if (/^No (\.yml or \.yaml )?files in /.test(message)) return [];
            expect(message).toMatch(/a symbolic link may not lead out of it/);
            return 'refused';
          }
        };
        const flows = await outcome(async () =>
          (await discoverFiles({ workspace, directory: relDirectory, ...g })).map((f) => f.path),
        );
        const files = await outcome(async () =>
          (await discoverNamespaceFiles(workspace, relDirectory, () => undefined, g)).files.map(
            (f) => f.file,
          ),
        );
        // Flows are read only from YAML files; namespace files take every file the globs select.
        if (flows === 'refused') expect(files).toBe('refused');
        else if (files === 'refused') {
          // Only a link leaving the directory to a file that is not YAML refuses namespace files alone.
          const leaving = walk(workspace, directory, () => true).leaving;
          expect(leaving.some((f) => !isYaml(f))).toBe(true);
        } else expect(files.filter(isYaml)).toEqual(flows);
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 60) },
    );
  }, 60_000);
});
