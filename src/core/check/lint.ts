// Offline checks: the structural rules Kestra 1.3 enforces on every flow whatever plugins it has
// (docs/kestra-api.md#flow-model), with their tables in rules.ts. Messages use Kestra's own wording where it
// has one, then say the fix.
import { isMap } from 'yaml';
import type { FlowDoc, Violation } from '../../model/types.js';
import { lintContext } from './lint-context.js';
import {
  checkAliases,
  checkFlowId,
  checkListeners,
  checkNamespace,
  checkRevision,
  checkTasksPresent,
  checkTopLevelKeys,
} from './lint-flow.js';
import { checkData, checkInputDependencies } from './lint-inputs.js';
import { checkLabels } from './lint-labels.js';
import {
  checkDashedReferences,
  checkDuplicatePreconditions,
  checkDuplicates,
  checkIdAndType,
  checkRecursiveSubflow,
} from './lint-tasks.js';
import { collectTasks, listItems, topValue } from '../parse/positions.js';

export function lintFlow(flow: FlowDoc): Violation[] {
  const { at, add, findings } = lintContext(flow);
  const top = flow.doc.contents;
  if (!isMap(top)) return []; // parseFlows only hands over mappings

  checkTopLevelKeys(top, at, add);
  checkFlowId(flow, top, at, add);
  checkNamespace(flow, top, at, add);
  checkRevision(flow, top, at, add);
  checkTasksPresent(top, at, add);
  checkLabels(flow, at, add);

  const tasks = collectTasks(flow);
  for (const task of tasks) checkIdAndType(flow, task, 'task', at, add);
  const triggers = listItems(topValue(flow, 'triggers'), 'triggers');
  for (const trigger of triggers) checkIdAndType(flow, trigger, 'trigger', at, add);
  checkListeners(top, at, add);
  checkData(flow, 'input', at, add);
  checkData(flow, 'output', at, add);
  for (const kind of ['task', 'trigger', 'input', 'output'] as const) checkDuplicates(flow, kind, at, add);
  checkDuplicatePreconditions(flow, triggers, at, add);
  checkInputDependencies(flow, at, add);
  checkRecursiveSubflow(flow, tasks, at, add);
  checkDashedReferences(flow, tasks, at, add);
  checkAliases(flow, at, add);
  return findings();
}
