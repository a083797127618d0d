// The project carries its own documents: no file may point at a document that only exists beside the
// repository (the API and design notes older comments cited) or at a path of one build machine, and every
// `docs/….md#anchor` pointer must name a file and a heading that exist. A clone of this repository alone
// must be enough to follow every pointer.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.js';

/** Tracked files, and new ones not yet added (git's ignore rules apply), minus bundles and lock files. */
function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0'))]
    .filter((f) => f !== '' && !/^(dist|node_modules)\/|(^|\/)package-lock\.json$/.test(f))
    .filter((f) => existsSync(path.join(repoRoot, f)));
}

/** Text files only (a NUL byte marks a binary). */
function readText(file: string): string | undefined {
  const bytes = readFileSync(path.join(repoRoot, file));
  return bytes.includes(0) ? undefined : bytes.toString('utf8');
}

// Built from pieces so that this file does not trip over its own patterns.
const OUTSIDE_DOCS = new RegExp(`\\b(${['KESTRA-API', 'KESTRA-2\\.0', 'DESIGN', 'ANCHORS'].join('|')})\\.md`);
const MACHINE_PATH = new RegExp(`(?<![\\w.~-])/(${['work', 'home', 'Users'].join('|')})/`);
/** The section sign: the documents whose numbered sections old comments cited are not in the repository. */
const SECTION_SIGN = new RegExp('\u00a7');

interface Hit {
  where: string;
  text: string;
}

function lineHits(files: string[], patterns: RegExp[]): Hit[] {
  const hits: Hit[] = [];
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, i) => {
      if (patterns.some((p) => p.test(line))) hits.push({ where: `${file}:${i + 1}`, text: line.trim() });
    });
  }
  return hits;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

interface Pointer {
  where: string;
  file: string;
  anchor?: string;
}

/**
 * A `docs/<name>.md` pointer, with or without `#anchor`, anywhere (comments, tests, markdown; `../docs/…`
 * included), and in docs/ itself the relative links `](<name>.md#anchor)` and `](#anchor)`. Another project's
 * `…/docs/…` (kestra-io/docs) is not ours.
 */
function docPointers(file: string, text: string): Pointer[] {
  const pointers: Pointer[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    for (const m of line.matchAll(/(?<![\w./-])(?:\.\.\/)*docs\/([\w./-]+?\.md)(?:#([\w-]+))?/g)) {
      pointers.push({ where, file: `docs/${m[1]}`, anchor: m[2] });
    }
    if (file.startsWith('docs/')) {
      for (const m of line.matchAll(/\]\((?:\.\/)?([\w-]+\.md)?(?:#([\w-]+))?\)/g)) {
        if (m[1] === undefined && m[2] === undefined) continue;
        pointers.push({ where, file: m[1] ? path.posix.join('docs', m[1]) : file, anchor: m[2] });
      }
    }
  });
  return pointers;
}

/** The pointers among `files` whose document or heading does not exist, as `where: target` lines. */
function brokenPointers(pointers: Pointer[], read: (file: string) => string | undefined): string[] {
  const anchors = new Map<string, Set<string> | undefined>();
  const broken: string[] = [];
  for (const p of pointers) {
    if (!anchors.has(p.file)) {
      const text = read(p.file);
      anchors.set(p.file, text === undefined ? undefined : headingAnchors(text));
    }
    const known = anchors.get(p.file);
    const target = `${p.file}${p.anchor ? `#${p.anchor}` : ''}`;
    if (!known) broken.push(`${p.where}: ${target} (no such file)`);
    else if (p.anchor && !known.has(p.anchor)) broken.push(`${p.where}: ${target} (no such heading)`);
  }
  return broken;
}

const readRepo = (file: string): string | undefined =>
  existsSync(path.join(repoRoot, file)) ? readFileSync(path.join(repoRoot, file), 'utf8') : undefined;

describe('the repository carries its own documents', () => {
  const files = projectFiles();

  it('lists the project files (the checks below have something to read)', () => {
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'src/kestra/client.ts', 'emulator/README.md']),
    );
  });

  it('no file points at a document outside the repository', () => {
    const hits = lineHits(files, [OUTSIDE_DOCS, SECTION_SIGN]).map((h) => `${h.where}: ${h.text}`);
    expect(hits).toEqual([]);
  });

  it('no file names an absolute path of a build machine', () => {
    const hits = lineHits(files, [MACHINE_PATH]).map((h) => `${h.where}: ${h.text}`);
    expect(hits).toEqual([]);
  });

  it('every docs/….md#anchor pointer names an existing file and heading', () => {
    const pointers = files.flatMap((f) => {
      const text = readText(f);
      return text === undefined ? [] : docPointers(f, text);
    });
    // The code does point into docs/: a scan that finds nothing is a broken scan.
    expect(pointers.filter((p) => p.file === 'docs/kestra-api.md' && p.anchor).length).toBeGreaterThan(10);
    expect(brokenPointers(pointers, readRepo)).toEqual([]);
  });
});

describe('the pointer checks themselves', () => {
  it('computes anchors as GitHub does, ignoring headings inside code fences', () => {
    const md =
      '# Kestra API\n## Bulk update (per namespace)\n```\n# not a heading\n```\n## Errors\n## Errors\n';
    expect([...headingAnchors(md)]).toEqual([
      'kestra-api',
      'bulk-update-per-namespace',
      'errors',
      'errors-1',
    ]);
  });

  it('flags a missing heading and a missing file, and ignores docs/ of other projects', () => {
    // Spelled with ${D} so that the scan of this very file does not read them as pointers.
    const D = 'docs';
    const text = [
      `// see ${D}/guide.md#setup and ${D}/guide.md#nowhere`,
      `// see ${D}/missing.md`,
      `// kestra-io/${D}/src/contents/${D}/x.md#y is another project`,
    ].join('\n');
    const pointers = docPointers('src/x.ts', text);
    expect(pointers.map((p) => `${p.file}#${p.anchor ?? ''}`)).toEqual([
      `${D}/guide.md#setup`,
      `${D}/guide.md#nowhere`,
      `${D}/missing.md#`,
    ]);
    const read = (f: string): string | undefined =>
      f === `${D}/guide.md` ? '# Guide\n## Setup\n' : undefined;
    expect(brokenPointers(pointers, read)).toEqual([
      `src/x.ts:1: ${D}/guide.md#nowhere (no such heading)`,
      `src/x.ts:2: ${D}/missing.md (no such file)`,
    ]);
  });

  it('catches the pointers and paths it exists for', () => {
    expect(OUTSIDE_DOCS.test(`// (${'KESTRA-API'}.md \u00a74b)`)).toBe(true);
    expect(OUTSIDE_DOCS.test(`// see ${'DESIGN'}.md`)).toBe(true);
    expect(SECTION_SIGN.test('deleted ones first (\u00a74b)')).toBe(true);
    expect(MACHINE_PATH.test(`after \`/${'work'}/shared/x.md\``)).toBe(true);
    expect(MACHINE_PATH.test(`const p = '/${'home'}/me/repo'`)).toBe(true);
    expect(MACHINE_PATH.test('https://example.com/home/page')).toBe(false);
    expect(MACHINE_PATH.test('/tmp/ in .gitignore')).toBe(false);
  });
});
