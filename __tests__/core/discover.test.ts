import { afterAll, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscoverError, discoverExcluded, discoverFiles } from '../../src/core/discover/discover.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh workspace holding `files` (path → content; content `->target` makes a symlink). */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'discover-'));
  roots.push(root);
  const ws = path.join(root, 'ws');
  fs.mkdirSync(ws);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(ws, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (content.startsWith('->')) fs.symlinkSync(content.slice(2), file);
    else if (name.endsWith('/')) fs.mkdirSync(file, { recursive: true });
    else fs.writeFileSync(file, content);
  }
  return ws;
}

const LAYOUT = {
  'flows/a.yaml': 'id: a',
  'flows/b.yml': 'id: b',
  'flows/B.yml': 'id: B',
  'flows/sub/FLOW.YML': 'id: upper',
  'flows/sub/deep/c.Yaml': 'id: c',
  'flows/notes.md': '# not yaml',
  'flows/.hidden.yml': 'id: hidden',
  'flows/.github/workflows/ci.yml': 'on: push',
  'flows/sub/.kestra/x.yml': 'id: x',
  'flows/drafts/d.yml': 'id: d',
  'flows/e.draft.yml': 'id: e',
  'flows/inside-link.yml': '->sub/FLOW.YML',
  'flows/broken-link.yml': '->nowhere.yml',
  'flows/dir.yml/inner.txt': 'a folder named like a flow',
  'outside.yml': 'id: outside',
};

const paths = async (options: Parameters<typeof discoverFiles>[0]): Promise<string[]> =>
  (await discoverFiles(options)).map((f) => f.path);

async function rejection(promise: Promise<unknown>): Promise<DiscoverError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DiscoverError);
    return e as DiscoverError;
  }
  throw new Error('expected a DiscoverError');
}

describe('discoverFiles', () => {
  it('finds yml/yaml files in any case, skips dot-files and dot-dirs, sorts by bytes', async () => {
    const ws = workspace(LAYOUT);
    const files = await discoverFiles({ workspace: ws, directory: 'flows' });
    expect(files.map((f) => f.path)).toEqual([
      'flows/B.yml',
      'flows/a.yaml',
      'flows/b.yml',
      'flows/drafts/d.yml',
      'flows/e.draft.yml',
      'flows/inside-link.yml',
      'flows/sub/FLOW.YML',
      'flows/sub/deep/c.Yaml',
    ]);
    const upper = files.find((f) => f.path === 'flows/sub/FLOW.YML')!;
    expect(upper.absolutePath).toBe(path.join(ws, 'flows', 'sub', 'FLOW.YML'));
    expect(upper.bytes.toString()).toBe('id: upper');
    // A symlink that stays inside the directory is read through.
    expect(files.find((f) => f.path === 'flows/inside-link.yml')!.bytes.toString()).toBe('id: upper');
  });

  it('accepts the workspace itself, an absolute directory inside it, and ./ prefixes', async () => {
    const ws = workspace({ 'a.yml': 'x', 'sub/b.yml': 'y', '.github/workflows/ci.yml': 'z' });
    expect(await paths({ workspace: ws, directory: '.' })).toEqual(['a.yml', 'sub/b.yml']);
    expect(await paths({ workspace: ws, directory: '' })).toEqual(['a.yml', 'sub/b.yml']);
    expect(await paths({ workspace: ws, directory: path.join(ws, 'sub') })).toEqual(['sub/b.yml']);
    expect(await paths({ workspace: ws, directory: './sub/' })).toEqual(['sub/b.yml']);
  });

  it('applies include and exclude globs relative to the directory', async () => {
    const ws = workspace(LAYOUT);
    expect(await paths({ workspace: ws, directory: 'flows', include: ['sub/*.yml'] })).toEqual([
      'flows/sub/FLOW.YML',
    ]);
    expect(
      await paths({
        workspace: ws,
        directory: 'flows',
        include: ['**/*.{yml,yaml}'],
        exclude: ['drafts', '**/*.draft.yml', 'sub/'],
      }),
    ).toEqual(['flows/B.yml', 'flows/a.yaml', 'flows/b.yml', 'flows/inside-link.yml']);
    // A glob can name a dot-directory, but dot entries stay skipped.
    expect(
      await paths({ workspace: ws, directory: 'flows', include: ['.github/**/*.yml'] }).catch(
        (e) => e.message,
      ),
    ).toMatch(/No \.yml or \.yaml files in flows match \.github\/\*\*\/\*\.yml/);
  });

  it('scans a dot-directory chosen as the directory itself', async () => {
    const ws = workspace({ '.kestra/flows/a.yml': 'x', '.kestra/flows/.cache/b.yml': 'y' });
    expect(await paths({ workspace: ws, directory: '.kestra/flows' })).toEqual(['.kestra/flows/a.yml']);
    expect(await paths({ workspace: ws, directory: '.kestra' })).toEqual(['.kestra/flows/a.yml']);
  });

  it('sorts by UTF-8 bytes, not UTF-16 code units', async () => {
    const ws = workspace({ 'f/\u{1F600}.yml': 'x', 'f/\uFF01.yml': 'y', 'f/z.yml': 'z' });
    expect(await paths({ workspace: ws, directory: 'f' })).toEqual([
      'f/z.yml',
      'f/\uFF01.yml',
      'f/\u{1F600}.yml',
    ]);
  });

  it('refuses a symlink whose target is outside the directory', async () => {
    const ws = workspace({
      'flows/a.yml': 'x',
      'flows/escape.yml': '->../outside.yml',
      'outside.yml': 'secret',
    });
    const e = await rejection(discoverFiles({ workspace: ws, directory: 'flows' }));
    expect(e.message).toMatch(/^flows\/escape\.yml resolves to .*outside\.yml, outside the directory flows/);
    expect(e.message).toMatch(/add it to 'exclude'/);
    // Excluding it is the way out.
    expect(await paths({ workspace: ws, directory: 'flows', exclude: ['escape.yml'] })).toEqual([
      'flows/a.yml',
    ]);
  });

  it('refuses a symlinked folder that leads out of the directory', async () => {
    const ws = workspace({ 'flows/a.yml': 'x', 'flows/shared': '->../other', 'other/b.yml': 'y' });
    const e = await rejection(discoverFiles({ workspace: ws, directory: 'flows' }));
    expect(e.message).toMatch(
      /^flows\/shared\/b\.yml resolves to .*other\/b\.yml, outside the directory flows/,
    );
  });

  it('refuses a directory outside the workspace, by path or by symlink', async () => {
    const ws = workspace({ 'a.yml': 'x' });
    fs.mkdirSync(path.join(ws, '..', 'elsewhere'));
    fs.writeFileSync(path.join(ws, '..', 'elsewhere', 'e.yml'), 'x');
    fs.symlinkSync('../elsewhere', path.join(ws, 'linked'));
    expect((await rejection(discoverFiles({ workspace: ws, directory: '../elsewhere' }))).message).toMatch(
      /directory '\.\.\/elsewhere' is outside the workspace/,
    );
    expect(
      (await rejection(discoverFiles({ workspace: ws, directory: path.join(ws, '..', 'elsewhere') })))
        .message,
    ).toMatch(/is outside the workspace/);
    expect((await rejection(discoverFiles({ workspace: ws, directory: 'linked' }))).message).toMatch(
      /directory 'linked' resolves to .*elsewhere, outside the workspace/,
    );
  });

  it('takes the real path of a workspace reached through a symbolic link as the same workspace', async () => {
    const real = workspace({ 'flows/a.yml': 'x' });
    const link = path.join(path.dirname(real), 'checkout');
    fs.symlinkSync(real, link);
    // `directory` given as the real path, the workspace through the link, and the other way round.
    const viaLink = await discoverFiles({ workspace: link, directory: path.join(real, 'flows') });
    expect(viaLink.map((f) => [f.path, f.absolutePath])).toEqual([
      ['flows/a.yml', path.join(link, 'flows', 'a.yml')],
    ]);
    expect(await paths({ workspace: real, directory: path.join(link, 'flows') })).toEqual(['flows/a.yml']);
    // A real path outside is still outside.
    expect(
      (await rejection(discoverFiles({ workspace: link, directory: path.dirname(real) }))).message,
    ).toMatch(/is outside the workspace/);
  });

  it('lists the files exclude takes out of what include selects, without reading links that leave', async () => {
    const ws = workspace({
      'flows/a.yml': 'id: a',
      'flows/drafts/d.yml': 'id: d',
      'flows/e.draft.yml': 'id: e',
      'flows/notes.md': 'not included',
      'flows/escape.yml': '->../outside.yml',
      'outside.yml': 'secret',
    });
    const excluded = await discoverExcluded({
      workspace: ws,
      directory: 'flows',
      exclude: ['drafts', '*.draft.yml', 'escape.yml', 'notes.md'],
    });
    expect(excluded.map((f) => [f.path, f.bytes.toString()])).toEqual([
      ['flows/drafts/d.yml', 'id: d'],
      ['flows/e.draft.yml', 'id: e'],
    ]);
    expect(await discoverExcluded({ workspace: ws, directory: 'flows' })).toEqual([]);
  });

  it('refuses globs that could leave the directory', async () => {
    const ws = workspace(LAYOUT);
    for (const include of [['../*.yml'], ['sub/../../outside.yml'], ['/etc/*.yml']]) {
      const e = await rejection(discoverFiles({ workspace: ws, directory: 'flows', include }));
      expect(e.message).toMatch(/^include glob '.*' (contains '\.' or '\.\.'|is absolute)/);
    }
    const e = await rejection(discoverFiles({ workspace: ws, directory: 'flows', exclude: ['../x'] }));
    expect(e.message).toMatch(/^exclude glob '\.\.\/x' contains/);
  });

  it('says where it looked when the directory does not exist', async () => {
    const ws = workspace({ 'a.yml': 'x' });
    const e = await rejection(discoverFiles({ workspace: ws, directory: 'kestra/flows' }));
    expect(e.message).toBe(
      `directory 'kestra/flows' does not exist (looked for ${path.join(ws, 'kestra', 'flows')} in workspace ${ws}). ` +
        "Check the path, and that a step 'uses: actions/checkout' runs before this one.",
    );
    expect((await rejection(discoverFiles({ workspace: ws, directory: 'a.yml' }))).message).toMatch(
      /is a file, not a directory/,
    );
  });

  it("reads flows only from .yml and .yaml files, whatever 'include' takes (the default '**' included)", async () => {
    const ws = workspace({
      'flows/a.yml': 'x',
      'flows/b.YAML': 'y',
      'flows/README.md': '# r',
      'flows/s/run.py': 'p',
    });
    for (const include of [undefined, ['**'], ['**/*']]) {
      const found = await discoverFiles({ workspace: ws, directory: 'flows', include });
      expect(found.map((f) => f.path)).toEqual(['flows/a.yml', 'flows/b.YAML']);
    }
  });

  it('says which globs matched nothing', async () => {
    const ws = workspace({ 'flows/readme.md': 'x', 'flows/.a.yml': 'y', 'flows/d/x.yml': 'z' });
    expect(
      (await rejection(discoverFiles({ workspace: ws, directory: 'flows', exclude: ['d'] }))).message,
    ).toBe(
      "No .yml or .yaml files in flows match ** (after excluding d). Check 'directory' and 'include'; " +
        'dot-files and dot-directories are always skipped.',
    );
    const empty = workspace({ 'empty/': '' });
    expect(
      (await rejection(discoverFiles({ workspace: empty, directory: 'empty', include: ['*.yml'] }))).message,
    ).toMatch(/^No \.yml or \.yaml files in empty match \*\.yml\./);
  });
});
