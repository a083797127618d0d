// The GitLab Code Quality report: its golden file, its shape as GitLab documents it, paths relative to the
// project root, and fingerprints that follow a problem, not its line (proved on the pipeline's own findings).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validate } from '../../../src/core/pipeline.js';
import type { Violation } from '../../../src/model/types.js';
import {
  codeQualityReport,
  projectPath,
  type CodeQualityIssue,
} from '../../../src/render/reporters/codequality.js';
import { repoRoot } from '../../../scripts/action-runner.js';
import { makeWorkspace } from '../../helpers/workspace.js';
import { FINDINGS, HOSTILE_FINDINGS, HOSTILE_TEXT } from './data.js';
import { expectGolden } from './golden.js';
import { validateJson, type Schema } from './json-schema.js';

const schema = JSON.parse(
  readFileSync(
    path.join(repoRoot, '__tests__/fixtures/reporters/schemas/gitlab-codequality.schema.json'),
    'utf8',
  ),
) as Schema;

const issues = (findings: Violation[], options = {}): CodeQualityIssue[] =>
  JSON.parse(codeQualityReport(findings, options)) as CodeQualityIssue[];

describe('codeQualityReport', () => {
  it('matches its golden file and the documented format', () => {
    const text = codeQualityReport(FINDINGS, {});
    expectGolden('codequality.json', text);
    expect(validateJson(JSON.parse(text), schema)).toEqual([]);
    expect(issues(FINDINGS).map((i) => [i.severity, i.check_name])).toEqual([
      ['critical', 'duplicate-id'],
      ['critical', 'type'],
      ['minor', 'label-key'],
      ['critical', 'syntax'],
      ['info', 'unclassified'],
    ]);
  });

  it('is an empty array when there is nothing to report', () => {
    expect(codeQualityReport([], {})).toBe('[]\n');
  });

  it('keeps hostile names and messages as data: the JSON parses back to the same text', () => {
    const text = codeQualityReport(HOSTILE_FINDINGS, { root: '/builds/acme/flows' });
    const parsed = JSON.parse(text) as CodeQualityIssue[];
    expect(validateJson(parsed, schema)).toEqual([]);
    expect(parsed.map((i) => i.description)).toEqual(HOSTILE_TEXT.map((t) => `ns.${t}: ${t}`));
    expect(parsed.map((i) => i.location.path)).toEqual(HOSTILE_FINDINGS.map((v) => v.file));
    // One issue per line of JSON text at most: a message cannot add lines or end the string.
    expect(text.split('\n').filter((l) => l.includes('"description"'))).toHaveLength(HOSTILE_TEXT.length);
  });

  it('names files relative to the project root, with `/`', () => {
    expect(projectPath('flows\\a.yml')).toBe('flows/a.yml');
    expect(projectPath('./flows//a.yml', '/builds/acme/repo')).toBe('flows/a.yml');
    expect(projectPath('flows/a.yml', '/builds/acme/repo', '/builds/acme/repo/infra')).toBe(
      'infra/flows/a.yml',
    );
    expect(projectPath('/builds/acme/repo/flows/a.yml', '/builds/acme/repo/')).toBe('flows/a.yml');
    expect(projectPath('flows\\a.yml', 'C:\\builds\\repo', 'C:\\builds\\repo\\infra')).toBe(
      'infra/flows/a.yml',
    );
    // A relative root is the workspace's folder in the project already.
    expect(projectPath('flows/a.yml', 'infra')).toBe('infra/flows/a.yml');
    expect(projectPath('./flows/a.yml', 'infra/')).toBe('infra/flows/a.yml');
    // A file the root does not hold cannot be linked: it is left as it came.
    expect(projectPath('flows/a.yml', '/builds/acme/repo', '/elsewhere')).toBe('flows/a.yml');
    expect(projectPath('flows/a.yml', '/builds/acme/repo', '/builds/acme/repository')).toBe('flows/a.yml');
    expect(issues(FINDINGS, { root: '/r', workspace: '/r/sub' })[0]?.location.path).toBe(
      'sub/flows/company.team/hello.yml',
    );
  });

  it('gives each finding its own fingerprint, kept when lines are added above it', async () => {
    const flow = (top: string) =>
      `${top}id: a\nnamespace: company.team\ntasks:\n  - id: one\n  - id: two\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: three\n`;
    const run = async (top: string) => {
      const workspace = makeWorkspace({ 'flows/a.yml': flow(top) });
      const silent = { info: () => undefined, warning: () => undefined, debug: () => undefined };
      const settings = { workspace, directory: 'flows', include: [], exclude: [], failOnWarnings: false };
      const { checked } = await validate(settings, undefined, silent);
      return checked.flatMap((c) => c.violations);
    };
    const before = await run('');
    const after = await run('# a comment\n# and another\n\n');
    // Two identical problems (a task without a type) at two nodes.
    expect(before.map((v) => [v.rule, v.path])).toEqual([
      ['type', 'tasks[0].type'],
      ['type', 'tasks[2].type'],
    ]);
    expect(after.map((v) => v.line)).toEqual(before.map((v) => v.line + 3));
    const prints = issues(before).map((i) => i.fingerprint);
    expect(new Set(prints).size).toBe(2);
    expect(issues(after).map((i) => i.fingerprint)).toEqual(prints);
  });

  it('tells apart findings with no node by their message, not the line the message names', () => {
    const yaml = (line: number, message: string): Violation => ({
      file: 'flows/a.yml',
      line,
      column: 1,
      rule: 'syntax',
      docIndex: 0,
      message,
      severity: 'error',
      origin: 'yaml',
    });
    const [a, b] = issues([
      yaml(3, "Duplicate field 'id' (already set at line 1)"),
      yaml(4, 'Tabs are not allowed'),
    ]);
    const [moved] = issues([yaml(9, "Duplicate field 'id' (already set at line 7)")]);
    expect(a?.fingerprint).not.toBe(b?.fingerprint);
    expect(moved?.fingerprint).toBe(a?.fingerprint);
    // The very same finding twice still gets two fingerprints, the first one unchanged.
    const twice = issues([yaml(3, 'Tabs'), yaml(5, 'Tabs')]).map((i) => i.fingerprint);
    expect(twice[0]).toBe(issues([yaml(8, 'Tabs')])[0]?.fingerprint);
    expect(new Set(twice).size).toBe(2);
  });
});
