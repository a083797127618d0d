// The structural checks made at parse time: what the YAML parser accepts but Kestra's parser refuses (a mapping
// as a key, an alias without its anchor), then whether a document is a flow at all or another kind of resource.
import { isCollection, isMap, isScalar, isSeq, visit, type Alias, type Node, type YAMLMap } from 'yaml';
import type { FlowDoc, Violation } from '../../model/types.js';
import { scalarString } from './positions.js';
import { violationAt } from './yaml-errors.js';

/**
 * Checks the YAML layer cannot report but Kestra's parser refuses, then whether the document is a flow at all.
 */
export function checkStructure(flow: FlowDoc, docLabel: string): Violation[] {
  const out: Violation[] = [];
  const { doc } = flow;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (isCollection(key) && key.range) {
        // `message: {{ x }}` is a flow map whose only key is the flow map `{ x }`.
        const src = flow.source;
        const before = src.slice(0, key.range[0]).trimEnd();
        const after = src.slice(key.range[1]).trimStart();
        const pebble = isMap(key) && key.flow === true && before.endsWith('{') && after.startsWith('}');
        const start = pebble ? before.length - 1 : key.range[0];
        const text = pebble ? `{${src.slice(key.range[0], key.range[1])}}` : '';
        out.push(
          violationAt(
            flow,
            start,
            pebble
              ? `YAML syntax error: unquoted Pebble expression ${text}: YAML reads it as a mapping. ` +
                  `Quote the value, e.g. "${text}".`
              : 'YAML syntax error: a mapping key is itself a mapping or list; Kestra needs text keys. Quote it.',
            'error',
            'yaml',
            true,
          ),
        );
      }
    },
    Alias(_key, node: Alias) {
      if (node.resolve(doc) === undefined && node.range) {
        out.push(
          violationAt(
            flow,
            node.range[0],
            `YAML syntax error: unknown alias '*${node.source}': YAML reads a value that starts with '*' as a ` +
              `reference to an '&${node.source}' anchor, and there is none. Quote the value if the '*' is meant literally.`,
            'error',
            'yaml',
            true,
          ),
        );
      }
    },
  });
  if (out.length || doc.errors.length) return out;

  const contents = doc.contents;
  const start = contents?.range?.[0] ?? 0;
  if (!contents || (isScalar(contents) && contents.value === null)) {
    out.push({
      ...violationAt(flow, start, `${docLabel} is empty: it holds no flow.`, 'error', 'yaml', false),
      rule: 'not-a-flow',
    });
    return out;
  }
  if (!isMap(contents)) {
    const what = isSeq(contents) ? 'a list' : 'a single value';
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} is ${what}, but a flow is a mapping with id, namespace and tasks.`,
        'error',
        'lint',
        false,
      ),
    );
    return out;
  }
  const keys = new Set(contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const other = otherResource(contents, keys);
  if (other) {
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} looks like ${other}, which is another kind of resource. ` +
          `Keep it out of the flows directory or add it to 'exclude'.`,
        'error',
        'lint',
        false,
      ),
    );
  } else if (!keys.has('id') && !keys.has('namespace')) {
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} has neither 'id' nor 'namespace'. ` +
          `A flow needs id, namespace and tasks; fragments and other YAML belong outside the flows directory (or in 'exclude').`,
        'error',
        'lint',
        false,
      ),
    );
  }
  return out;
}

/** Names the Kestra (or other) resource a mapping looks like, when its top-level keys give it away. */
function otherResource(map: YAMLMap, keys: Set<string>): string | undefined {
  const type = scalarString(map.get('type', true)) ?? '';
  if (/\.apps?\./i.test(type) || (keys.has('type') && (keys.has('layout') || keys.has('access'))))
    return 'a Kestra App (top-level type, layout, access)';
  if (keys.has('charts') || (keys.has('timeWindow') && !keys.has('tasks')))
    return 'a Kestra Dashboard (charts, timeWindow)';
  if (keys.has('testCases')) return 'a Kestra flow unit test (flowId, testCases)';
  if (keys.has('flowId') && (keys.has('taskRunList') || keys.has('state')))
    return 'a Kestra Execution (flowId, state)';
  if (keys.has('apiVersion') && keys.has('kind')) return 'a Kubernetes manifest (apiVersion, kind)';
  if (keys.has('jobs') && (keys.has('on') || keys.has('true'))) return 'a GitHub Actions workflow (on, jobs)';
  if (keys.has('runs') && keys.has('name')) return 'a GitHub Action definition (runs)';
  if (keys.has('type') && !keys.has('tasks'))
    return `a resource with a top-level 'type' (${type || '?'}), not a flow`;
  return undefined;
}
