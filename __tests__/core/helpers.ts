// Shared helpers of the core-stage tests: fixtures as SourceFiles, one-flow parsing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlows } from '../../src/core/parse/parse.js';
import type { FlowDoc, SourceFile } from '../../src/model/types.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, '__tests__', 'fixtures', 'core');

export function fixture(name: string): SourceFile {
  const absolutePath = path.join(fixturesDir, name);
  return { path: `flows/${name}`, absolutePath, bytes: fs.readFileSync(absolutePath) };
}

export function source(name: string, text: string | Buffer): SourceFile {
  return {
    path: name,
    absolutePath: `/ws/${name}`,
    bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
  };
}

/** The only flow of a file that must parse cleanly. */
export function oneFlow(file: SourceFile): FlowDoc {
  const { flows, violations } = parseFlows([file]);
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length || flows.length !== 1) {
    throw new Error(
      `expected one clean flow in ${file.path}, got ${flows.length}: ${JSON.stringify(errors)}`,
    );
  }
  return flows[0]!;
}

export const flowOf = (text: string, name = 'flow.yaml'): FlowDoc => oneFlow(source(name, text));
