// Offline checks: the structural rules Kestra enforces on every flow whatever plugins it has
// (docs/kestra-api.md#flow-model), with their tables in rules.ts, and the rules per target version
// (lint-versions.ts, rules-2.0.ts). Messages use Kestra's own wording where it
// has one, then say the fix.
import { isMap } from 'yaml';
import { flowName, type FlowDoc, type Violation } from '../../model/types.js';
import { flowStart, positionAt } from '../parse/positions.js';
import type { Add, At } from './lint-context.js';
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
import { checkFlowables } from './lint-flowable.js';
import { checkInputValues, checkTriggerInputs } from './lint-input-values.js';
import { checkLabels } from './lint-labels.js';
import { checkVersions } from './lint-versions.js';
import { checkCoreTypes } from './lint-core-types.js';
import {
  checkDashedReferences,
  checkDuplicatePreconditions,
  checkDuplicates,
  checkIdAndType,
  checkRecursiveSubflow,
} from './lint-tasks.js';
import { collectTasks, listItems, topValue } from '../parse/positions.js';

/** `target`: the Kestra version (`major.minor`) to check against; absent, the rules of every version. */
export function lintFlow(flow: FlowDoc, target?: string): Violation[] {
  const { at, add, findings } = lintContext(flow);
  const top = flow.doc.contents;
  if (!isMap(top)) return []; // parseFlows only hands over mappings

  checkTopLevelKeys(top, target, at, add);
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
  checkInputValues(flow, at, add);
  checkTriggerInputs(flow, at, add);
  checkFlowables(flow, tasks, at, add);
  checkRecursiveSubflow(flow, tasks, at, add);
  checkDashedReferences(flow, tasks, at, add);
  checkAliases(flow, at, add);
  checkVersions({ flow, top, tasks, triggers }, target, at, add);
  checkCoreTypes(flow, tasks, triggers, target, at, add);
  return findings();
}

/** `at` and `add` for one flow, and the findings recorded so far, in the order of the file. */
export function lintContext(flow: FlowDoc): { at: At; add: Add; findings: () => Violation[] } {
  const out: Violation[] = [];
  const name = flowName(flow);
  const add: Add = (pos, path, rule, message, severity = 'error', upgrade) => {
    out.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: name,
      path,
      rule,
      message,
      severity,
      origin: 'lint',
      ...(upgrade ? { upgrade } : {}),
    });
  };
  const at: At = (offset) => (offset === undefined ? flowStart(flow) : positionAt(flow, offset));
  return { at, add, findings: () => out.sort((a, b) => a.line - b.line || a.column - b.column) };
}
