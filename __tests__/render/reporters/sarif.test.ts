// SARIF 2.1.0: its golden file, the SARIF schema's rules for every object it writes, rules and results that
// point at each other, and file names that stay valid URI references whatever they hold.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileUri, sarifReport } from '../../../src/render/reporters/sarif.js';
import { repoRoot } from '../../../scripts/action-runner.js';
import { FINDINGS, HOSTILE_FINDINGS, HOSTILE_TEXT } from './data.js';
import { expectGolden } from './golden.js';
import { validateJson, type Schema } from './json-schema.js';

const schema = JSON.parse(
  readFileSync(
    path.join(repoRoot, '__tests__/fixtures/reporters/schemas/sarif-2.1.0-subset.schema.json'),
    'utf8',
  ),
) as Schema;

interface Log {
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number };
        };
      }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

const sarif = (findings = FINDINGS): Log => JSON.parse(sarifReport(findings, { version: '1.2.3' })) as Log;

describe('sarifReport', () => {
  it('matches its golden file and the SARIF 2.1.0 schema', () => {
    const text = sarifReport(FINDINGS, { version: '1.2.3' });
    expectGolden('report.sarif', text);
    expect(validateJson(JSON.parse(text), schema)).toEqual([]);
  });

  it('names the tool, lists each rule once and points every result at its rule, level and place', () => {
    const [run] = sarif().runs;
    expect(run?.tool.driver).toMatchObject({ name: 'kestra-actions', version: '1.2.3' });
    const rules = run!.tool.driver.rules.map((r) => r.id);
    expect(rules).toEqual(['duplicate-id', 'label-key', 'syntax', 'type', 'unclassified']);
    for (const r of run!.results) expect(rules[r.ruleIndex]).toBe(r.ruleId);
    expect(run!.results.map((r) => r.level)).toEqual(['error', 'error', 'warning', 'error', 'note']);
    expect(run!.results[1]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'flows/company.team/hello.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14, startColumn: 11 },
    });
  });

  it('is a valid log with no results when nothing was found', () => {
    const log = JSON.parse(sarifReport([], { version: '0.1.0' })) as Log;
    expect(validateJson(log, schema)).toEqual([]);
    expect(log.runs[0]?.results).toEqual([]);
  });

  it('keeps hostile names and messages as data: valid URIs, the same text back', () => {
    const log = sarif(HOSTILE_FINDINGS);
    expect(validateJson(log, schema)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.message.text)).toEqual(HOSTILE_TEXT.map((t) => `ns.${t}: ${t}`));
    expect(
      results.map((r) => decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri)),
    ).toEqual(HOSTILE_FINDINGS.map((v) => v.file.replace('\ud800', '\ufffd')));
  });

  it('percent-encodes what a URI cannot hold and keeps the folders', () => {
    expect(fileUri('flows/my flow#1?.yml')).toBe('flows/my%20flow%231%3F.yml');
    expect(fileUri('flows\\a:b.yml')).toBe('flows/a%3Ab.yml');
    expect(fileUri('./flows/é.yml')).toBe('flows/%C3%A9.yml');
  });
});
