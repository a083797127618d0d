// Offline checks of the flow's labels, in either form (a mapping, or a list of key/value items).
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { deref, keyOffset, scalarString, topValue } from '../parse/positions.js';
import { LABEL_KEY, READ_ONLY_LABEL, SYSTEM_LABEL_PREFIX } from './rules.js';

/**
 * Labels in either form, each at its Kestra path: the model holds them as a list, so the n-th pair of a map
 * is `labels[n]` too, as the server names it.
 */
export function checkLabels(flow: FlowDoc, at: At, add: Add): void {
  const labels = topValue(flow, 'labels') as Node | undefined;
  if (labels === undefined || (isScalar(labels) && labels.value === null)) return;
  const text = (node: unknown): string | undefined => scalarString(node, flow.doc);
  const entries: {
    key?: string;
    value?: string;
    keyAt?: number;
    valueAt?: number;
    path: string;
    /** How the label is written, for messages: `labels.env` (map) or `labels[0]` (list). */
    name: string;
    /** What is wrong with the label's shape, and the path of the node at fault. */
    bad?: { why: string; path: string };
  }[] = [];
  if (isMap(labels)) {
    (labels.items as Pair[]).forEach((pair, i) => {
      const key = text(pair.key);
      const value = pair.value as Node | null;
      const keyAt = (pair.key as Scalar | null)?.range?.[0];
      // An alias of a single value is a plain value for Kestra (it warns about the alias itself).
      const target = deref(value, flow.doc);
      entries.push({
        key,
        value: text(value),
        keyAt,
        valueAt: value?.range?.[0] ?? keyAt,
        path: `labels[${i}]`,
        name: `labels.${key ?? '?'}`,
        bad:
          target && !isScalar(target)
            ? {
                why: 'a label value must be a single value, not a list or mapping',
                path: `labels[${i}].value`,
              }
            : undefined,
      });
    });
  } else if (isSeq(labels)) {
    labels.items.forEach((item, i) => {
      const path = `labels[${i}]`;
      if (!isMap(item)) {
        entries.push({
          path,
          name: path,
          keyAt: (item as Node | null)?.range?.[0],
          bad: { why: "a label in list form is '- key: …' with 'value: …'", path },
        });
        return;
      }
      entries.push({
        key: text(item.get('key', true)),
        value: text(item.get('value', true)),
        keyAt: keyOffset(item, 'key') ?? item.range?.[0],
        valueAt: keyOffset(item, 'value') ?? item.range?.[0],
        path,
        name: path,
      });
    });
  } else {
    add(
      at(labels.range?.[0]),
      'labels',
      'shape',
      "labels: must be a mapping (key: value) or a list of '- key: …, value: …'.",
    );
    return;
  }
  for (const e of entries) {
    if (e.bad) {
      add(at(e.valueAt ?? e.keyAt), e.bad.path, 'shape', `${e.name}: ${e.bad.why}.`);
      continue;
    }
    if (e.key === undefined || e.key === '') {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'required',
        `${e.name}.key: must not be empty. Give the label a key.`,
      );
      continue;
    }
    if (!LABEL_KEY.test(e.key)) {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'label-key',
        'Invalid label key. A valid key contains only lowercase letters numbers hyphens (-) underscores (_) or ' +
          `periods (.) and must begin with a lowercase letter. Got '${e.key}'.`,
      );
    }
    if (e.value === undefined || e.value === '') {
      add(
        at(e.valueAt),
        `${e.path}.value`,
        'required',
        `${e.name}.value: must not be empty. Give the label '${e.key}' a value.`,
      );
    }
    if (e.key.startsWith(SYSTEM_LABEL_PREFIX) && e.key !== READ_ONLY_LABEL) {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'system-label',
        `System labels can only be set by Kestra itself, offending label: ${e.key}=${e.value ?? ''}. ` +
          `Remove it (only '${READ_ONLY_LABEL}' may be set in a flow).`,
      );
    }
  }
}
