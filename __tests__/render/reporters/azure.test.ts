// Azure Pipelines logging commands: the golden lines, and hostile names and messages that neither end the
// property list nor the command nor the line, read back with the agent's grammar to what went in.
import { describe, expect, it } from '@jest/globals';
import { azureLogIssues } from '../../../src/render/reporters/azure.js';
import { FINDINGS, HOSTILE_FINDINGS } from './data.js';
import { expectGolden } from './golden.js';

/** A line read as the agent reads it: the command up to the first `]`, `;`-separated properties, then data. */
function readCommand(line: string) {
  const m = /^##vso\[([\w.]+) ([^\]]*)\](.*)$/s.exec(line);
  if (!m) throw new Error(`not a logging command: ${line}`);
  const unescape = (s: string) =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%5D/g, ']')
      .replace(/%3B/g, ';')
      .replace(/%AZP25/g, '%');
  const props = Object.fromEntries(
    m[2]!
      .split(';')
      .filter(Boolean)
      .map((p) => {
        const eq = p.indexOf('=');
        return [p.slice(0, eq), unescape(p.slice(eq + 1))];
      }),
  );
  return { command: m[1], props, message: unescape(m[3]!) };
}

describe('azureLogIssues', () => {
  it('reports errors and warnings at their file, line and column, and leaves notices to the log', () => {
    const lines = azureLogIssues(FINDINGS);
    expectGolden('azure-log-issues.txt', `${lines.join('\n')}\n`);
    expect(lines).toHaveLength(FINDINGS.filter((v) => v.severity !== 'notice').length);
    expect(lines[0]).toBe(
      "##vso[task.logissue type=error;sourcepath=flows/company.team/hello.yml;linenumber=9;columnnumber=5;code=duplicate-id]company.team.hello: Duplicate task id 'log': task ids must be unique in a flow.",
    );
    expect(azureLogIssues([])).toEqual([]);
  });

  it('cannot be made to forge a command: one line each, read back to the same values', () => {
    const reported = HOSTILE_FINDINGS.filter((v) => v.severity !== 'notice');
    const lines = azureLogIssues(HOSTILE_FINDINGS);
    expect(lines).toHaveLength(reported.length);
    for (const [i, line] of lines.entries()) {
      const v = reported[i]!;
      expect(line).not.toMatch(/[\r\n]/);
      expect(line.indexOf('##vso[')).toBe(0);
      expect(readCommand(line)).toEqual({
        command: 'task.logissue',
        props: {
          type: v.severity,
          sourcepath: v.file,
          linenumber: String(v.line),
          columnnumber: String(v.column),
          code: v.rule,
        },
        message: `${v.flow}: ${v.message}`,
      });
    }
  });
});
