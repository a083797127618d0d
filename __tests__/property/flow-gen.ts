// Random valid Kestra flow files for property tests, written line by line so the generator knows where every
// node is: for each property path (`tasks[0].then[1].type`) the 1-based line and column of its node, the way
// positions.ts reports them (keys at their key token, list items at their first character).
import fc from 'fast-check';

export interface Pos {
  line: number;
  column: number;
}

/** One flow of a generated file, with the positions a correct mapping must give. */
export interface GenDoc {
  id: string;
  namespace: string;
  /** Property path → position, for every key and task the generator wrote. */
  paths: Map<string, Pos>;
  /** Task paths in document order (what collectTasks must return). */
  taskPaths: string[];
  /** Task id → position of its `id` key (the server names tasks by id). */
  taskIds: Map<string, Pos>;
}

export interface GenFile {
  text: string;
  docs: GenDoc[];
}

type Scalar =
  | { kind: 'plain'; text: string }
  | { kind: 'double' | 'single'; text: string }
  | { kind: 'literal' | 'folded'; chomp: '' | '-' | '+'; lines: string[] };

interface TaskShape {
  type: string;
  message?: Scalar;
  children: { key: string; tasks: TaskShape[] }[];
  cases: { name: string; tasks: TaskShape[] }[];
  flowStyle: boolean;
  typeFirst: boolean;
  comment?: number;
  blank: boolean;
}

/** How the `namespace:` line is written; `missing` leaves it out (only for the rewrite properties). */
export type NamespaceStyle = 'plain' | 'single' | 'double' | 'comment' | 'missing';
/** How labels are written: block map, flow map, list of key/value, flow list, or an empty `labels:`. */
export type LabelStyle = 'block' | 'flow' | 'list' | 'flowList' | 'empty';

interface DocShape {
  namespace: string;
  namespaceStyle: NamespaceStyle;
  labelStyle: LabelStyle;
  order: number[];
  description?: Scalar;
  labels: { key: string; value: Scalar }[];
  tasks: TaskShape[];
  errors: TaskShape[];
  triggers: number;
  leadingComment: boolean;
  trailingComment: boolean;
}

export interface Style {
  width: number;
  /** `- ` items indented under their key (true) or at the key's column (false). */
  seqIndent: boolean;
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
  /** `---` before the first document too. */
  leadingMarker: boolean;
}

const PLAIN = [
  'hello',
  'hello world',
  'x-1',
  'a.b.c',
  'ünïcödé text',
  '漢字',
  '🚀 launch',
  'True',
  '42',
  'null-ish',
];
const QUOTED = [
  '{{ inputs.name }}',
  'say "hi"',
  "it's",
  'a: b # not a comment',
  '---',
  '- id: fake',
  '\\back\\slash',
  'tab\there',
  '',
  '🚀',
];
const BLOCK_LINES = [
  'plain text',
  '- id: fake',
  '---',
  'tasks:',
  '# not a comment',
  '  indented more',
  '',
  '🚀 {{ x }}',
];
// Children go under any type (every generated task has an id and a type, so it is a task anywhere): the
// core types here are ones whose children no offline rule constrains (Sequential, If… need their lists) and
// that Kestra 2.0 did not remove (Template was).
const TYPES = [
  'io.kestra.plugin.core.log.Log',
  'io.kestra.plugin.core.flow.Pause',
  'io.kestra.plugin.core.http.Download',
  'io.kestra.plugin.scripts.shell.Commands',
  'com.example.My$Task',
];
const CHILD_KEYS = ['tasks', 'then', 'else', 'errors', 'finally'];
const LABEL_KEYS = ['team', 'env', 'app.name', 'owner_x', 'a-b', 'system.readOnly'];

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom(...PLAIN).map((text): Scalar => ({ kind: 'plain', text })),
  fc
    .tuple(fc.constantFrom<'double' | 'single'>('double', 'single'), fc.constantFrom(...QUOTED))
    .map(([kind, text]): Scalar => ({ kind, text })),
  fc
    .tuple(
      fc.constantFrom<'literal' | 'folded'>('literal', 'folded'),
      fc.constantFrom<'' | '-' | '+'>('', '-', '+'),
      fc.array(fc.constantFrom(...BLOCK_LINES), { minLength: 1, maxLength: 4 }),
    )
    // A block's first line sets its indentation: it must not be indented more than the rest, nor empty.
    .map(([kind, chomp, lines]): Scalar => ({ kind, chomp, lines: ['first line', ...lines] })),
);

const task: fc.Memo<TaskShape> = fc.memo((n) => {
  const base = {
    type: fc.constantFrom(...TYPES),
    message: fc.option(scalar, { nil: undefined }),
    typeFirst: fc.boolean(),
    comment: fc.option(fc.nat({ max: 8 }), { nil: undefined }),
    blank: fc.boolean(),
  };
  const leaf = fc
    .record({ ...base, flowStyle: fc.boolean() })
    .map((t): TaskShape => ({ ...t, children: [], cases: [], message: t.flowStyle ? undefined : t.message }));
  if (n <= 1) return leaf;
  const node = fc
    .record({
      ...base,
      children: fc.uniqueArray(
        fc.record({
          key: fc.constantFrom(...CHILD_KEYS),
          tasks: fc.array(task(n - 1), { minLength: 1, maxLength: 3 }),
        }),
        { selector: (c) => c.key, maxLength: 2 },
      ),
      cases: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom('A', 'b', 'case-1', '2'),
          tasks: fc.array(task(n - 1), { minLength: 1, maxLength: 2 }),
        }),
        { selector: (c) => c.name, maxLength: 2 },
      ),
    })
    .map((t): TaskShape => ({ ...t, flowStyle: false }));
  return fc.oneof(leaf, node);
});

export interface GenOptions {
  maxDocs?: number;
  namespaceStyles?: NamespaceStyle[];
  labelStyles?: LabelStyle[];
}

const doc = (o: GenOptions): fc.Arbitrary<DocShape> =>
  fc.record({
    namespace: fc.constantFrom('team.a', 'company.team', 'a', 'x_y.z-1'),
    namespaceStyle: fc.constantFrom(...(o.namespaceStyles ?? ['plain', 'single', 'double', 'comment'])),
    labelStyle: fc.constantFrom(...(o.labelStyles ?? ['block', 'flow', 'list', 'flowList', 'empty'])),
    // Sort keys for the 8 top-level entries: id, namespace, description, labels, tasks, errors, triggers, variables.
    order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    description: fc.option(scalar, { nil: undefined }),
    labels: fc.uniqueArray(fc.record({ key: fc.constantFrom(...LABEL_KEYS), value: scalar }), {
      selector: (l) => l.key,
      maxLength: 3,
    }),
    tasks: fc.array(task(3), { minLength: 1, maxLength: 3 }),
    errors: fc.array(task(1), { maxLength: 2 }),
    triggers: fc.nat({ max: 2 }),
    leadingComment: fc.boolean(),
    trailingComment: fc.boolean(),
  });

export const style: fc.Arbitrary<Style> = fc.record({
  width: fc.constantFrom(2, 4),
  seqIndent: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  leadingMarker: fc.boolean(),
});

/** A file of 1–3 valid flows in a random style. */
export const flowFile = (o: GenOptions = {}): fc.Arbitrary<GenFile> =>
  fc
    .tuple(
      fc.array(doc(o), { minLength: 1, maxLength: o.maxDocs ?? 3 }),
      style,
      fc.array(fc.boolean(), { minLength: 3 }),
    )
    .map(([docs, s, markers]) => render(docs, s, markers));

function quote(s: Scalar & { kind: 'double' | 'single' }): string {
  return s.kind === 'double' ? JSON.stringify(s.text) : `'${s.text.replace(/'/g, "''")}'`;
}

/** A one-line scalar that is safe inside a flow collection too. */
function quoteAny(s: Scalar & { text: string }): string {
  return s.kind === 'single' ? quote({ kind: 'single', text: s.text }) : JSON.stringify(s.text);
}

function render(shapes: DocShape[], style: Style, markers: boolean[]): GenFile {
  const lines: string[] = [];
  const push = (line: string): number => lines.push(line);
  const docs: GenDoc[] = [];
  const w = style.width;

  shapes.forEach((shape, d) => {
    if (d > 0 || style.leadingMarker) push(markers[d % markers.length] ? '---' : '--- # next flow');
    const id = `flow_${d}`;
    const gen: GenDoc = {
      id,
      namespace: shape.namespace,
      paths: new Map(),
      taskPaths: [],
      taskIds: new Map(),
    };
    docs.push(gen);
    const at = (path: string, line: number, column: number): void =>
      void gen.paths.set(path, { line, column });
    let nextTask = 0;

    /** `key: value` whose first line starts with `prefix`; the key sits at column `keyCol` (0-based). */
    const entry = (prefix: string, keyCol: number, key: string, value: Scalar, path: string): void => {
      if (value.kind === 'plain') at(path, push(`${prefix}${key}: ${value.text}`), keyCol + 1);
      else if (!('lines' in value)) at(path, push(`${prefix}${key}: ${quote(value)}`), keyCol + 1);
      else {
        at(path, push(`${prefix}${key}: ${value.kind === 'literal' ? '|' : '>'}${value.chomp}`), keyCol + 1);
        for (const l of value.lines) push(l === '' ? '' : ' '.repeat(keyCol + w) + l);
      }
    };

    const list = (items: TaskShape[], keyCol: number, path: string): void => {
      const dashCol = keyCol + (style.seqIndent ? w : 0);
      items.forEach((t, i) => emitTask(t, dashCol, `${path}[${i}]`));
    };

    const emitTask = (t: TaskShape, dashCol: number, path: string): void => {
      const taskId = `t${nextTask++}`;
      gen.taskPaths.push(path);
      if (t.blank) push('');
      if (t.comment !== undefined) push(`${' '.repeat(Math.min(t.comment, dashCol))}# task ${taskId}`);
      const pad = ' '.repeat(dashCol);
      if (t.flowStyle) {
        const line = `${pad}- { id: ${taskId}, type: ${t.type} }`;
        const n = push(line);
        at(path, n, dashCol + 3);
        at(`${path}.id`, n, line.indexOf('id:') + 1);
        at(`${path}.type`, n, line.indexOf('type:') + 1);
        gen.taskIds.set(taskId, { line: n, column: line.indexOf('id:') + 1 });
        return;
      }
      const keyCol = dashCol + 2;
      let first = true;
      const prefix = (): string => {
        const p = first ? `${pad}- ` : ' '.repeat(keyCol);
        if (first) at(path, lines.length + 1, keyCol + 1);
        first = false;
        return p;
      };
      const idEntry = (): void => {
        entry(prefix(), keyCol, 'id', { kind: 'plain', text: taskId }, `${path}.id`);
        gen.taskIds.set(taskId, gen.paths.get(`${path}.id`)!);
      };
      const typeEntry = (): void =>
        entry(prefix(), keyCol, 'type', { kind: 'plain', text: t.type }, `${path}.type`);
      if (t.typeFirst) {
        typeEntry();
        idEntry();
      } else {
        idEntry();
        typeEntry();
      }
      if (t.message) entry(prefix(), keyCol, 'message', t.message, `${path}.message`);
      for (const c of t.children) {
        at(`${path}.${c.key}`, push(`${' '.repeat(keyCol)}${c.key}:`), keyCol + 1);
        list(c.tasks, keyCol, `${path}.${c.key}`);
      }
      if (t.cases.length) {
        at(`${path}.cases`, push(`${' '.repeat(keyCol)}cases:`), keyCol + 1);
        for (const c of t.cases) {
          at(`${path}.cases.${c.name}`, push(`${' '.repeat(keyCol + w)}${c.name}:`), keyCol + w + 1);
          list(c.tasks, keyCol + w, `${path}.cases.${c.name}`);
        }
      }
    };

    if (shape.leadingComment) push(`# flow ${d}: a comment Kestra keeps`);
    const top: Record<string, () => void> = {
      id: () => entry('', 0, 'id', { kind: 'plain', text: id }, 'id'),
      namespace: () => {
        const ns = shape.namespace;
        const line = {
          plain: `namespace: ${ns}`,
          single: `namespace: '${ns}'`,
          double: `namespace: "${ns}"`,
          comment: `namespace: ${ns}   # where it runs`,
          missing: undefined,
        }[shape.namespaceStyle];
        if (line !== undefined) at('namespace', push(line), 1);
      },
      description: () => shape.description && entry('', 0, 'description', shape.description, 'description'),
      labels: () => {
        if (!shape.labels.length) return;
        const text = (l: { key: string; value: Scalar }): string =>
          l.key === 'system.readOnly'
            ? '"true"'
            : 'text' in l.value && l.value.text
              ? quoteAny(l.value)
              : 'x';
        const dashCol = style.seqIndent ? w : 0;
        switch (shape.labelStyle) {
          case 'empty':
            at('labels', push('labels:'), 1);
            return;
          case 'flow':
            at('labels', push(`labels: {${shape.labels.map((l) => `${l.key}: ${text(l)}`).join(', ')}}`), 1);
            return;
          case 'flowList':
            at(
              'labels',
              push(`labels: [${shape.labels.map((l) => `{key: ${l.key}, value: ${text(l)}}`).join(', ')}]`),
              1,
            );
            return;
          case 'list':
            at('labels', push('labels:'), 1);
            for (const l of shape.labels) {
              push(`${' '.repeat(dashCol)}- key: ${l.key}`);
              push(`${' '.repeat(dashCol + 2)}value: ${text(l)}`);
            }
            return;
        }
        at('labels', push('labels:'), 1);
        for (const l of shape.labels) {
          // A label needs a value: no empty quotes.
          const value: Scalar =
            l.key === 'system.readOnly'
              ? { kind: 'double', text: 'true' }
              : 'text' in l.value && l.value.text === ''
                ? { kind: 'plain', text: 'x' }
                : l.value;
          entry(' '.repeat(w), w, l.key, value, `labels.${l.key}`);
        }
      },
      tasks: () => {
        at('tasks', push('tasks:'), 1);
        list(shape.tasks, 0, 'tasks');
      },
      errors: () => {
        if (!shape.errors.length) return;
        at('errors', push('errors:'), 1);
        list(shape.errors, 0, 'errors');
      },
      triggers: () => {
        if (!shape.triggers) return;
        at('triggers', push('triggers:'), 1);
        const dashCol = style.seqIndent ? w : 0;
        for (let i = 0; i < shape.triggers; i++) {
          const n = push(`${' '.repeat(dashCol)}- id: schedule${i}`);
          at(`triggers[${i}]`, n, dashCol + 3);
          at(`triggers[${i}].id`, n, dashCol + 3);
          at(
            `triggers[${i}].type`,
            push(`${' '.repeat(dashCol + 2)}type: io.kestra.plugin.core.trigger.Schedule`),
            dashCol + 3,
          );
          push(`${' '.repeat(dashCol + 2)}cron: "0 ${i} * * *"`);
        }
      },
      variables: () => {
        at('variables', push('variables:'), 1);
        entry(' '.repeat(w), w, 'greeting', { kind: 'double', text: 'hello' }, 'variables.greeting');
      },
    };
    const keys = Object.keys(top);
    const order = keys.map((k, i) => [k, shape.order[i] ?? i] as const).sort((a, b) => a[1] - b[1]);
    for (const [k] of order) top[k]!();
    if (shape.trailingComment) push('# the end');
  });

  const eol = style.crlf ? '\r\n' : '\n';
  const text = (style.bom ? '\ufeff' : '') + lines.join(eol) + (style.finalNewline ? eol : '');
  return { text, docs };
}
