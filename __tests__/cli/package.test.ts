// The npm package is the repository root: `npm pack` takes only what runs (the CLI bundle) and what a user
// reads (README.md, LICENSE), and package.json needs nothing at install time (every dependency is bundled).
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.js';

interface PackageJson {
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  license?: string;
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

describe('package.json', () => {
  it('publishes the kestra-actions command, for Node 20.18 and later, with no runtime dependencies', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ 'kestra-actions': 'dist/cli/index.js' });
    expect(pkg.files).toEqual(['dist/cli/', 'README.md', 'LICENSE']);
    expect(pkg.engines?.node).toBe('>=20.18');
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('declares the license LICENSE holds', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});

describe('npm pack', () => {
  const packed = (): string[] => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, npm_config_loglevel: 'silent' },
    });
    const [result] = JSON.parse(out) as { files: { path: string }[] }[];
    return (result?.files ?? []).map((f) => f.path).sort();
  };

  it('lists only package.json, README.md, LICENSE and the CLI bundle', () => {
    const files = packed();
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    for (const file of files) expect(file).toMatch(/^(LICENSE|README\.md|package\.json|dist\/cli\/[^/]+)$/);
    if (existsSync(path.join(repoRoot, 'dist/cli/index.js'))) {
      expect(files).toContain('dist/cli/index.js');
      expect(readFileSync(path.join(repoRoot, 'dist/cli/index.js'), 'utf8')).toMatch(
        /^#!\/usr\/bin\/env node\n/,
      );
    } else {
      console.warn('dist/cli/index.js is not built (npm run package): the bundle is not in this pack');
    }
  });
});
