// Offline checks of what an input holds beyond its id and type: a `validator` regex that cannot compile,
// `itemType` of ARRAY and MULTISELECT (ArrayInputValidator, MultiselectInputValidator), FILE `defaults`
// (FileInputValidator), and `defaults` that do not fit their type. Conservative: a value holding a Pebble
// expression (`{{ … }}`, `{% … %}`) is rendered by the server and never checked here.
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { deref, idOwners, keyOffset, listItems, scalarString, topValue } from '../parse/positions.js';
import { FORBIDDEN_ITEM_TYPES, INPUT_SUPPLYING_TRIGGERS, INPUT_TYPES } from './rules.js';

const PEBBLE = /\{\{|\{%/;

export function checkInputValues(flow: FlowDoc, at: At, add: Add): void {
  for (const { node, path } of listItems(topValue(flow, 'inputs'), 'inputs')) {
    const type = scalarString(node.get('type', true), flow.doc);
    const valueAt = (key: string): number | undefined =>
      (node.get(key, true) as Node | undefined)?.range?.[0] ?? keyOffset(node, key);
    const validator = scalarString(node.get('validator', true), flow.doc);
    if (validator !== undefined && !PEBBLE.test(validator)) {
      const problem = regexProblem(validator);
      if (problem) {
        add(
          at(valueAt('validator')),
          `${path}.validator`,
          'input-value',
          `${path}.validator: invalid regular expression '${validator}' (${problem}). ` +
            'Fix the pattern (it is a Java regex matched against the whole value).',
        );
      }
    }
    if (type === 'ARRAY' || type === 'MULTISELECT') checkItemType(flow, node, path, type, at, add);
    const defaults = deref(node.get('defaults', true), flow.doc);
    if (defaults === undefined || (isScalar(defaults) && defaults.value === null)) continue;
    const text = scalarString(defaults);
    if (!isScalar(defaults) || text === undefined || PEBBLE.test(text)) continue;
    const id = scalarString(node.get('id', true), flow.doc) ?? path;
    const misfit = type === undefined ? undefined : defaultsProblem(type, defaults.value, text);
    // FileInputValidator's words come as a property violation, FlowValidator's as a flow one.
    const message =
      type === 'FILE' ? `${path}.defaults: ${misfit}` : `Invalid default for input '${id}': ${misfit}`;
    if (misfit) add(at(valueAt('defaults')), `${path}.defaults`, 'input-value', message);
  }
}

/**
 * A Schedule or webhook trigger starts executions with only the inputs it lists: every input that is required
 * (the default) and has no `defaults` must be among them. Newer Kestra refuses the flow (FlowValidator); 1.3
 * saves it, and each such execution fails: a warning.
 */
export function checkTriggerInputs(flow: FlowDoc, at: At, add: Add): void {
  const needed = idOwners(flow, 'input')
    .filter((i) => {
      const defaults = deref(i.node.get('defaults', true), flow.doc);
      const required = scalarString(i.node.get('required', true), flow.doc);
      return (
        (defaults === undefined || (isScalar(defaults) && defaults.value === null)) && required !== 'false'
      );
    })
    .map((i) => i.id)
    .filter((id, k, all) => all.indexOf(id) === k);
  if (needed.length === 0) return;
  for (const { node, path } of listItems(topValue(flow, 'triggers'), 'triggers')) {
    const kind = INPUT_SUPPLYING_TRIGGERS[scalarString(node.get('type', true), flow.doc) ?? ''];
    if (kind === undefined) continue;
    const supplied = deref(node.get('inputs', true), flow.doc);
    const missing = needed.filter((id) => !(isMap(supplied) && supplied.has(id)));
    if (missing.length === 0) continue;
    const id = scalarString(node.get('id', true), flow.doc) ?? path;
    add(
      at(keyOffset(node, 'inputs') ?? keyOffset(node, 'id') ?? node.range?.[0]),
      `${path}.inputs`,
      'input-value',
      `Missing inputs for ${kind} Trigger '${id}', missing inputs: '${missing.join(' | ')}'. ` +
        "Give these inputs 'defaults', or their values under the trigger's 'inputs'.",
      // Kestra 1.3 saves such a flow (its own test flows have some): its scheduled runs fail.
      'warning',
    );
  }
}

function checkItemType(
  flow: FlowDoc,
  node: YAMLMap,
  path: string,
  type: 'ARRAY' | 'MULTISELECT',
  at: At,
  add: Add,
): void {
  const itemNode = node.get('itemType', true) as Node | undefined;
  const itemType = scalarString(itemNode, flow.doc);
  if (itemType === undefined) {
    // MULTISELECT items default to STRING; an ARRAY must say what it holds (@NotNull).
    if (type === 'ARRAY') {
      add(
        at(keyOffset(node, 'itemType') ?? node.range?.[0]),
        `${path}.itemType`,
        'required',
        `${path}.itemType: must not be null. Say what the array holds, e.g. 'itemType: STRING'.`,
      );
    }
    return;
  }
  if (!INPUT_TYPES.includes(itemType)) {
    add(
      at(itemNode?.range?.[0]),
      `${path}.itemType`,
      'type',
      `${path}.itemType: Invalid type: ${itemType}. Use one of ${INPUT_TYPES.filter((t) => !FORBIDDEN_ITEM_TYPES.includes(t)).join(', ')}.`,
    );
  } else if (FORBIDDEN_ITEM_TYPES.includes(itemType)) {
    add(
      at(itemNode?.range?.[0]),
      `${path}.itemType`,
      'input-value',
      `${path}: \`itemType\` cannot be ${itemType}. Use a plain type such as STRING or INT.`,
    );
  }
}

/** What is wrong with a literal default of that input type, or undefined when it fits (or is not checked). */
function defaultsProblem(type: string, value: unknown, text: string): string | undefined {
  // FlowValidator's wording (in Kestra versions after 1.3), then the fix.
  const fit = (ok: boolean, expected: string): string | undefined =>
    ok ? undefined : `\`${text}\` is not a valid ${type} value. Give ${expected} (or a {{ … }} expression).`;
  switch (type) {
    case 'FILE':
      return /^(file|nsfile):\/\//.test(text)
        ? undefined
        : "inputs of type 'FILE' only support `defaults` as local files using a file URI or as namespace " +
            "files using a nsfile URI. Write 'file:///path' or 'nsfile:///path'.";
    case 'INT':
      return fit(
        (typeof value === 'number' && Number.isInteger(value)) || /^[-+]?\d+$/.test(text),
        'an integer',
      );
    case 'FLOAT':
      return fit(
        typeof value === 'number' || /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text),
        'a number',
      );
    case 'BOOLEAN':
    case 'BOOL':
      return fit(typeof value === 'boolean' || /^(true|false)$/i.test(text), 'true or false');
    case 'DATETIME':
      return fit(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i.test(text),
        'an ISO-8601 date-time (2024-01-31T10:00:00Z)',
      );
    case 'DATE':
      return fit(/^\d{4}-\d{2}-\d{2}$/.test(text), 'an ISO-8601 date (2024-01-31)');
    case 'TIME':
      return fit(/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text), 'an ISO-8601 time (10:00:00)');
    case 'DURATION':
      return fit(/^[-+]?P/i.test(text), 'an ISO-8601 duration (PT1H30M)');
    default:
      return undefined;
  }
}

/**
 * Why a pattern fails to compile, when it fails both as a JavaScript and as a Java regex; undefined
 * otherwise. JavaScript refuses some Java syntax (inline flags `(?i)`, atomic groups `(?>…)`, possessive
 * quantifiers `a*+`): a pattern using any of these is left to the server.
 */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    if (/\(\?[a-zA-Z-]*[:)]|\(\?>|[*+?}]\+/.test(pattern)) return undefined;
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}
