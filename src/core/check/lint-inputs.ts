// Offline checks of inputs and outputs: their id and type, and the inputs' dependsOn graph.
import { isMap, isSeq, type Node } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { deref, idOwners, keyOffset, listItems, scalarString, topValue } from '../parse/positions.js';
import { DATA_ID, INPUT_TYPES } from './rules.js';

export function checkData(flow: FlowDoc, kind: 'input' | 'output', at: At, add: Add): void {
  for (const { node, path } of listItems(topValue(flow, `${kind}s`), `${kind}s`)) {
    const hasId = node.has('id');
    const legacy = !hasId && kind === 'input' && node.has('name');
    const idKey = legacy ? 'name' : 'id';
    const id = scalarString(node.get(idKey, true), flow.doc);
    const idAt = at(keyOffset(node, idKey) ?? node.range?.[0]);
    if (legacy) {
      add(
        idAt,
        `${path}.name`,
        'deprecated',
        `${path}.name is deprecated: rename 'name' to 'id'.`,
        'warning',
      );
    }
    if (id === undefined || id === '') {
      add(
        at(node.range?.[0]),
        `${path}.id`,
        'required',
        `${path}.id: must not be null. Every ${kind} needs an 'id'.`,
      );
    } else if (!DATA_ID.test(id)) {
      add(
        idAt,
        `${path}.id`,
        'pattern',
        `${path}.id: must match "^[a-zA-Z0-9][.a-zA-Z0-9_-]*" (got '${id}'). ` +
          "Use letters, digits, '.', '_' or '-' (no spaces).",
      );
    }
    const typeNode = node.get('type', true) as Node | undefined;
    const type = scalarString(typeNode, flow.doc);
    if (type === undefined) {
      add(
        at(node.range?.[0]),
        `${path}.type`,
        'type',
        `${path}: missing type id property 'type'. Give the ${kind} a type such as STRING.`,
      );
    } else if (!INPUT_TYPES.includes(type)) {
      // Kestra refuses the flow: the type names a subclass of Input (or Output) that does not exist.
      add(
        at(typeNode?.range?.[0]),
        `${path}.type`,
        'type',
        `Invalid type: ${type} is not a Kestra 1.3 ${kind} type: use one of ${INPUT_TYPES.join(', ')}.`,
      );
    }
  }
}

export function checkInputDependencies(flow: FlowDoc, at: At, add: Add): void {
  const inputs = idOwners(flow, 'input');
  const graph = new Map<string, string[]>();
  const where = new Map<string, { offset: number; path: string }>();
  for (const input of inputs) {
    const depends = deref(input.node.get('dependsOn', true), flow.doc);
    const list = isMap(depends) ? deref(depends.get('inputs', true), flow.doc) : undefined;
    const deps = isSeq(list)
      ? list.items.map((i) => scalarString(i, flow.doc)).filter((s): s is string => s !== undefined)
      : [];
    graph.set(input.id, [...(graph.get(input.id) ?? []), ...deps]);
    // The first input of an id holds the path: the server names the input, not the repeat.
    if (!where.has(input.id)) {
      const offset = keyOffset(input.node, 'dependsOn') ?? input.offset;
      where.set(input.id, { offset, path: `${input.path}.dependsOn` });
    }
  }
  for (const [id, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) {
        add(
          at(where.get(id)?.offset),
          where.get(id)?.path ?? 'inputs',
          'input-dependency',
          `Input with id '${id}' depends on a non-existent input '${dep}'. Fix the name in 'dependsOn'.`,
        );
      }
    }
  }
  const reported = new Set<string>();
  for (const id of graph.keys()) {
    const cycle = findCycle(id, graph);
    if (!cycle || cycle.some((c) => reported.has(c))) continue;
    cycle.forEach((c) => reported.add(c));
    add(
      at(where.get(id)?.offset),
      where.get(id)?.path ?? 'inputs',
      'input-cycle',
      `Cycle dependency detected for input with id '${id}': [${cycle.join(', ')}]. Remove one 'dependsOn' link.`,
    );
  }
}

function findCycle(start: string, graph: Map<string, string[]>): string[] | undefined {
  const path: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const dfs = (id: string): string[] | undefined => {
    if (visiting.has(id)) return path.slice(path.indexOf(id));
    if (done.has(id)) return undefined;
    visiting.add(id);
    path.push(id);
    for (const dep of graph.get(id) ?? []) {
      const found = dfs(dep);
      if (found) return found;
    }
    visiting.delete(id);
    done.add(id);
    path.pop();
    return undefined;
  };
  return dfs(start);
}
