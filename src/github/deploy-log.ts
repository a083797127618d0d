// The deploy's plan, or what it did, in the step's log: the lines of src/render/log-lines.ts, each
// namespace folded in a group.
import { log } from './log.js';
import type { DeployReport } from '../model/results.js';
import { deployLogBlocks } from '../render/log-lines.js';

export function logDeploy(report: DeployReport): void {
  for (const block of deployLogBlocks(report)) {
    if (block.group !== undefined) log.startGroup(block.group);
    for (const line of block.lines) log.info(line);
    if (block.group !== undefined) log.endGroup();
  }
}
