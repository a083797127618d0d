// GitHub workflow commands from the command line: the very lines @actions/core prints for the same
// annotations, GitHub's cap per level, and hostile names and messages that cannot forge a command.
import { describe, expect, it } from '@jest/globals';
import * as core from '@actions/core';
import { EOL } from 'node:os';
import type { Violation } from '../../../src/model/types.js';
import {
  annotationBatches,
  githubAnnotations,
  restAnnotation,
} from '../../../src/render/reporters/github.js';
import { FINDINGS, HOSTILE_FINDINGS } from './data.js';
import { expectGolden } from './golden.js';

/** What @actions/core writes to stdout for the same annotations (the GitHub front-end's own output). */
function coreLines(findings: Violation[]): string[] {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  try {
    const annotate = { error: core.error, warning: core.warning, notice: core.notice };
    for (const { level, shown, rest } of annotationBatches(findings)) {
      for (const v of shown)
        annotate[level](v.message, {
          title: v.flow ?? v.file,
          file: v.file,
          startLine: v.line,
          startColumn: v.column,
        });
      if (rest > 0)
        annotate[level](restAnnotation(level, rest).message, { title: restAnnotation(level, rest).title });
    }
  } finally {
    process.stdout.write = write;
  }
  return out.join('').split(EOL).filter(Boolean);
}

/** A command line read back as the runner reads it: level, properties and message, unescaped. */
function readCommand(line: string) {
  const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) =>
    s
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  const props = Object.fromEntries(
    (m[2] ?? '')
      .split(',')
      .filter(Boolean)
      .map((p) => {
        const [key, ...value] = p.split('=');
        return [key, unescape(value.join('='))];
      }),
  );
  return { level: m[1], props, message: unescape(m[3]!) };
}

describe('githubAnnotations', () => {
  it('prints what @actions/core prints for the same annotations', () => {
    const lines = githubAnnotations(FINDINGS);
    expectGolden('github-annotations.txt', `${lines.join('\n')}\n`);
    expect(lines).toEqual(coreLines(FINDINGS));
    expect(githubAnnotations(HOSTILE_FINDINGS)).toEqual(coreLines(HOSTILE_FINDINGS));
  });

  it('keeps GitHub’s cap of 10 per level, the last place saying how many more', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...FINDINGS[0]!, line: i + 1 }));
    const lines = githubAnnotations([...many, FINDINGS[2]!]);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines[9]).toBe(
      '::error title=3 more errors::3 more errors are not shown as annotations: see the job summary and the log',
    );
    expect(lines[10]).toMatch(/^::warning /);
    expect(githubAnnotations([])).toEqual([]);
  });

  it('cannot be made to forge a command: one line each, read back to the same values', () => {
    const lines = githubAnnotations(HOSTILE_FINDINGS);
    // Errors first, then warnings, then notices, each in their order.
    const byLevel = ['error', 'warning', 'notice'].flatMap((l) =>
      HOSTILE_FINDINGS.filter((v) => v.severity === l),
    );
    expect(lines).toHaveLength(byLevel.length);
    for (const [i, line] of lines.entries()) {
      const v = byLevel[i]!;
      expect(line).not.toMatch(/[\r\n]/);
      expect(readCommand(line)).toEqual({
        level: v.severity,
        props: { title: v.flow, file: v.file, line: String(v.line), col: String(v.column) },
        message: v.message,
      });
    }
  });
});
