import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseFlows, parseSource } from '../../src/core/parse/parse.js';
import {
  reparseFlow,
  setNamespace,
  setReadOnlyLabel,
  withNamespace,
  withReadOnlyLabel,
} from '../../src/core/parse/rewrite.js';
import { fixture, flowOf, oneFlow, source } from './helpers.js';

const text = (name: string): string => fixture(name).bytes.toString('utf8');

/** The lines that differ between two texts of the same length in lines, or the added ones. */
function diff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) };
}

describe('setNamespace', () => {
  it('rewrites only the namespace value, keeping comments and layout', () => {
    const before = text('list-labels.yaml');
    const after = setNamespace(before, 'prod.team');
    expect(diff(before, after)).toEqual({
      removed: ['namespace: company.team # team namespace'],
      added: ['namespace: prod.team # team namespace'],
    });
  });

  it('keeps double and single quotes, and an anchor', () => {
    expect(setNamespace('id: a\nnamespace: "dev"\ntasks: []\n', 'prod')).toBe(
      'id: a\nnamespace: "prod"\ntasks: []\n',
    );
    expect(setNamespace("id: a\nnamespace: 'dev'\ntasks: []\n", 'prod')).toBe(
      "id: a\nnamespace: 'prod'\ntasks: []\n",
    );
    expect(setNamespace('id: a\nnamespace: &ns dev\n', 'prod')).toBe('id: a\nnamespace: &ns prod\n');
  });

  it('quotes a value that YAML would not read back as the same text', () => {
    expect(setNamespace('id: a\nnamespace: dev\n', '1.10')).toBe('id: a\nnamespace: "1.10"\n');
    expect(setNamespace('id: a\nnamespace: dev\n', 'true')).toBe('id: a\nnamespace: "true"\n');
  });

  it('touches neither nested namespace keys nor CRLF endings', () => {
    const before =
      'id: a\r\nnamespace: dev\r\ntasks:\r\n  - id: s\r\n    type: io.kestra.plugin.core.flow.Subflow\r\n    namespace: dev\r\n    flowId: b\r\n';
    const after = setNamespace(before, 'prod');
    expect(after).toBe(before.replace('namespace: dev\r\ntasks', 'namespace: prod\r\ntasks'));
  });

  it('fills an empty value and adds a missing namespace after the id', () => {
    expect(setNamespace('id: a\nnamespace:\ntasks: []\n', 'prod')).toBe(
      'id: a\nnamespace: prod\ntasks: []\n',
    );
    expect(setNamespace('# c\nid: a # the id\ntasks: []\n', 'prod')).toBe(
      '# c\nid: a # the id\nnamespace: prod\ntasks: []\n',
    );
    expect(setNamespace('{id: a, namespace: dev, tasks: []}\n', 'prod')).toBe(
      '{id: a, namespace: prod, tasks: []}\n',
    );
  });

  it('refuses source it cannot rewrite safely', () => {
    expect(() => setNamespace('- a\n', 'x')).toThrow(/not a mapping/);
    expect(() => setNamespace('id: a\nnamespace: [a]\n', 'x')).toThrow(/not a single value/);
    expect(() => setNamespace('id: a\nid: b\n', 'x')).toThrow(/does not parse/);
  });
});

describe('setReadOnlyLabel', () => {
  it('adds an entry to map-style labels with the same indentation', () => {
    const before = text('nested.yaml');
    const after = setReadOnlyLabel(before);
    expect(after).toBe(before.replace('  team: data\n', '  team: data\n  system.readOnly: "true"\n'));
  });

  it('adds an item to list-style labels', () => {
    const before = text('list-labels.yaml');
    const after = setReadOnlyLabel(before);
    expect(after).toBe(
      before.replace(
        '    value: data # the owners\n',
        '    value: data # the owners\n  - key: system.readOnly\n    value: "true"\n',
      ),
    );
    expect(parse(after).labels).toContainEqual({ key: 'system.readOnly', value: 'true' });
  });

  it('appends a labels block at the end when the flow has none', () => {
    expect(setReadOnlyLabel('id: a\nnamespace: b\ntasks: []\n')).toBe(
      'id: a\nnamespace: b\ntasks: []\nlabels:\n  system.readOnly: "true"\n',
    );
    // No final newline, CRLF endings.
    expect(setReadOnlyLabel('id: a\r\nnamespace: b\r\ntasks: []')).toBe(
      'id: a\r\nnamespace: b\r\ntasks: []\r\nlabels:\r\n  system.readOnly: "true"\r\n',
    );
  });

  it('replaces an existing system.readOnly value', () => {
    expect(setReadOnlyLabel('id: a\nlabels:\n  system.readOnly: false # locked?\n  b: c\n')).toBe(
      'id: a\nlabels:\n  system.readOnly: "true" # locked?\n  b: c\n',
    );
    expect(setReadOnlyLabel('id: a\nlabels:\n  - key: system.readOnly\n    value: "false"\n')).toBe(
      'id: a\nlabels:\n  - key: system.readOnly\n    value: "true"\n',
    );
  });

  it('handles flow-style and empty labels', () => {
    expect(setReadOnlyLabel('id: a\nlabels: {env: prod}\n')).toBe(
      'id: a\nlabels: {env: prod, system.readOnly: "true"}\n',
    );
    expect(setReadOnlyLabel('id: a\nlabels: {}\n')).toBe('id: a\nlabels: {system.readOnly: "true"}\n');
    expect(setReadOnlyLabel('id: a\nlabels: []\n')).toBe(
      'id: a\nlabels: [{ key: system.readOnly, value: "true" }]\n',
    );
    expect(setReadOnlyLabel('id: a\nlabels:\ntasks: []\n')).toBe(
      'id: a\nlabels:\n  system.readOnly: "true"\ntasks: []\n',
    );
  });

  it('adds after a block scalar label value, before trailing comments', () => {
    const before = 'id: a\nlabels:\n  note: |\n    multi\n    line\n\n  # end of labels\ntasks: []\n';
    expect(setReadOnlyLabel(before)).toBe(
      'id: a\nlabels:\n  note: |\n    multi\n    line\n  system.readOnly: "true"\n\n  # end of labels\ntasks: []\n',
    );
  });

  it('keeps working on the second document of a multi-document file', () => {
    const { flows } = parseFlows([fixture('multi-doc.yaml')]);
    const second = flows[1]!;
    const next = setReadOnlyLabel(setNamespace(second.source, 'prod'));
    expect(next.endsWith('labels:\n  system.readOnly: "true"\n')).toBe(true);
    expect(parse(next)).toMatchObject({
      id: 'second',
      namespace: 'prod',
      labels: { 'system.readOnly': 'true' },
    });
  });
});

describe('reparseFlow', () => {
  it('keeps the file, document index and line offset, and reads the new id and namespace', () => {
    const { flows } = parseFlows([fixture('multi-doc.yaml')]);
    const second = flows[1]!;
    const next = reparseFlow(second, setNamespace(second.source, 'prod'));
    expect(next).toMatchObject({
      file: second.file,
      absolutePath: second.absolutePath,
      docIndex: 1,
      lineOffset: 8,
      line: 10,
      id: 'second',
      namespace: 'prod',
    });
    expect(next.source).toContain('namespace: prod');
    expect(next.doc).not.toBe(second.doc);
  });

  it('refuses source that does not parse', () => {
    const flow = flowOf('id: a\nnamespace: b\ntasks: []\n');
    expect(() => reparseFlow(flow, 'id: a\nid: b\n')).toThrow(/does not parse/);
  });

  it('is what parseFlows would give for the same text', () => {
    const flow = flowOf('id: a\nnamespace: b\ntasks: []\n');
    const next = reparseFlow(flow, 'id: a\nnamespace: c\ntasks: []\n');
    const fresh = parseFlows([source('flow.yaml', 'id: a\nnamespace: c\ntasks: []\n')]).flows[0]!;
    expect({ ...next, doc: undefined, lineCounter: undefined, absolutePath: undefined }).toEqual({
      ...fresh,
      doc: undefined,
      lineCounter: undefined,
      absolutePath: undefined,
    });
  });
});

describe('withNamespace and withReadOnlyLabel', () => {
  it('hand their checking parse to reparseFlow, whatever the order of the calls', () => {
    // Two flows rewritten in turn and reparsed in the other order: each gets the parse of its own text.
    // A cache of "the last text a rewrite checked", shared by every call, would hand one of them nothing.
    const a = flowOf('id: a\nnamespace: dev\ntasks: []\n', 'flows/a.yml');
    const b = flowOf('id: b\nnamespace: dev\ntasks: []\n', 'flows/b.yml');
    const aNamespaced = withNamespace(a, 'prod');
    const bNamespaced = withNamespace(b, 'qa');
    const bDone = withReadOnlyLabel(bNamespaced);
    const aDone = withReadOnlyLabel(aNamespaced);
    const bFlow = reparseFlow(b, bDone);
    const aFlow = reparseFlow(a, aDone);
    expect(aFlow.doc).toBe(aDone.doc);
    expect(aFlow.lineCounter).toBe(aDone.lineCounter);
    expect(bFlow.doc).toBe(bDone.doc);
    expect(bFlow.lineCounter).toBe(bDone.lineCounter);
    expect(aFlow).toMatchObject({ file: 'flows/a.yml', id: 'a', namespace: 'prod', source: aDone.source });
    expect(bFlow).toMatchObject({ file: 'flows/b.yml', id: 'b', namespace: 'qa', source: bDone.source });
    expect(aFlow.doc.toJS()).toEqual({
      id: 'a',
      namespace: 'prod',
      tasks: [],
      labels: { 'system.readOnly': 'true' },
    });
    // An earlier result stays what it was: a later rewrite does not reach back into it.
    expect(aNamespaced.doc.toJS()).toEqual({ id: 'a', namespace: 'prod', tasks: [] });
    expect(reparseFlow(a, aNamespaced).doc).toBe(aNamespaced.doc);
  });

  it('write the same text as setNamespace and setReadOnlyLabel', () => {
    const flow = oneFlow(fixture('list-labels.yaml'));
    expect(withNamespace(flow, 'prod').source).toBe(setNamespace(flow.source, 'prod'));
    expect(withReadOnlyLabel(flow).source).toBe(setReadOnlyLabel(flow.source));
    expect(withReadOnlyLabel(withNamespace(flow, 'prod')).source).toBe(
      setReadOnlyLabel(setNamespace(flow.source, 'prod')),
    );
  });

  it('refuse a text whose parse has errors', () => {
    const broken = parseSource('id: a\nid: b\n');
    expect(() => withNamespace(broken, 'x')).toThrow(/setNamespace: the source does not parse/);
    expect(() => withReadOnlyLabel(broken)).toThrow(/setReadOnlyLabel: the source does not parse/);
  });
});
