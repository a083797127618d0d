// "Needs a server" (docs/kestra-api.md#needs-a-server): offline, a flow that passed the structural rules but
// uses a task or trigger type outside Kestra's core is not a sure pass. Only a server with that plugin
// knows its properties, so the verdict says so instead of passing it in silence. Core types are
// checked by the rules offline; inputs, outputs and conditions are left out.
import type { CheckedFlow } from '../../model/results.js';
import type { FlowDoc } from '../../model/types.js';
import { collectTasks, listItems, scalarString, topValue } from '../parse/positions.js';

/** Kestra's core packages, current and legacy: what the offline rules know. */
const CORE = ['io.kestra.plugin.core.', 'io.kestra.core.'];

/** How many types the reason names before "and N more". */
const NAMED = 3;

/** The task and trigger types of the flow outside Kestra's core, once each, in the order of the file. */
export function pluginTypes(flow: FlowDoc): string[] {
  const items = [...collectTasks(flow), ...listItems(topValue(flow, 'triggers'), 'triggers')];
  const types = items
    .sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0))
    .map((t) => scalarString(t.node.get('type', true), flow.doc))
    .filter((t): t is string => t !== undefined && t !== '' && !CORE.some((p) => t.startsWith(p)));
  return [...new Set(types)];
}

/** The reason a flow needs a server, or none when it uses only core types. */
export function needsServerReason(flow: FlowDoc): string | undefined {
  const types = pluginTypes(flow);
  if (types.length === 0) return undefined;
  const named = types.slice(0, NAMED).join(', ');
  const more = types.length > NAMED ? ` and ${types.length - NAMED} more` : '';
  const them = types.length > 1 ? 'their' : 'its';
  return `uses plugin types outside Kestra's core (${named}${more}): only a server with the plugin can check ${them} properties`;
}

/** Offline: each flow that passed but uses plugin types is marked with the reason (before its tree is released). */
export function markNeedsServer(checked: CheckedFlow[]): void {
  for (const c of checked) {
    if (!c.flow || c.violations.some((v) => v.severity === 'error')) continue;
    const reason = needsServerReason(c.flow);
    if (reason) c.needsServer = reason;
  }
}
