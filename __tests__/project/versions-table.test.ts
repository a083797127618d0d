// The README's "Supported Kestra versions" table is written from docs/kestra-api.md#versions: it follows
// that table's facts (and its `same` shorthands), and refuses a table it cannot read.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/action-runner.js';
import { kestraVersionsTable } from '../../scripts/docs.js';

const doc = readFileSync(path.join(repoRoot, 'docs', 'kestra-api.md'), 'utf8');
const row = (table: string, version: string): string =>
  table.split('\n').find((l) => l.startsWith(`| ${version} |`)) ?? '';

describe('kestraVersionsTable', () => {
  it('has one row per version, 0.23 folded into 0.23–1.2, and resolves `same as 1.3`', () => {
    const table = kestraVersionsTable(doc);
    expect(
      table
        .split('\n')
        .slice(2)
        .map((l) => l.split(' | ')[0]),
    ).toEqual(['| 0.22', '| 0.23–1.2', '| 1.3', '| 2.0']);
    expect(row(table, '2.0')).toContain('YAML or multipart `flows`');
    expect(row(table, '2.0')).toContain('errors: problem details; existing id on create: 409');
    expect(row(table, '1.3')).toContain('errors: JsonError; existing id on create: 422');
  });

  it('changes when a fact in docs/kestra-api.md changes', () => {
    const edited = doc.replace(
      '| Create with an existing id | 422 | 422 | 422 | 409 |',
      '| Create with an existing id | 422 | 422 | 422 | 418 |',
    );
    expect(edited).not.toBe(doc);
    expect(row(kestraVersionsTable(edited), '2.0')).toContain('existing id on create: 418');
  });

  it('refuses a Versions table without a row it needs', () => {
    expect(() => kestraVersionsTable(doc.replace('| Error body |', '| Error shape |'))).toThrow(
      "no row 'Error body'",
    );
  });
});
