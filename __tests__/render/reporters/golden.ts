// Golden files: a reporter's whole output compared with the file under __tests__/fixtures/reporters/.
// After an intended change, rewrite them with UPDATE_GOLDEN=1 and read the diff before committing.
import { expect } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../../scripts/action-runner.js';

export function expectGolden(name: string, actual: string): void {
  const file = path.join(repoRoot, '__tests__', 'fixtures', 'reporters', name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
