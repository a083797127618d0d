import { describe, expect, it } from '@jest/globals';
import { isMap, type Scalar, type YAMLMap } from 'yaml';
import { parseFlows } from '../../src/core/parse/parse.js';
import type { Violation } from '../../src/model/types.js';
import { fixture, source } from './helpers.js';

const only = (violations: Violation[]): Violation => {
  expect(violations).toHaveLength(1);
  return violations[0]!;
};

describe('parseFlows: documents', () => {
  it('keeps a one-document file whole, with its comments, as the flow source', () => {
    const file = fixture('nested.yaml');
    const { flows, violations } = parseFlows([file]);
    expect(violations).toEqual([]);
    expect(flows).toHaveLength(1);
    const flow = flows[0]!;
    expect(flow.source).toBe(file.bytes.toString('utf8'));
    expect(flow).toMatchObject({
      file: 'flows/nested.yaml',
      absolutePath: file.absolutePath,
      docIndex: 0,
      id: 'nested',
      namespace: 'company.team',
      lineOffset: 0,
      line: 2, // line 1 is a comment
    });
    expect(isMap(flow.doc.contents)).toBe(true);
  });

  it('splits a multi-document file into one flow per document, each parsed on its own', () => {
    const file = fixture('multi-doc.yaml');
    const text = file.bytes.toString('utf8');
    const { flows, violations } = parseFlows([file]);
    expect(violations).toEqual([]);
    expect(flows.map((f) => [f.id, f.docIndex, f.lineOffset, f.line])).toEqual([
      ['first', 0, 0, 2],
      ['second', 1, 8, 10], // the `---` line (8) is not part of the second source
    ]);
    const [first, second] = flows as [(typeof flows)[0], (typeof flows)[0]];
    expect(first.source).toBe(text.slice(0, text.indexOf('---\n# The second')));
    expect(second.source).toBe(text.slice(text.indexOf('# The second')));
    expect(second.source.startsWith('---')).toBe(false);
    // The indented `---` inside the block scalar stays text of the second flow.
    expect(second.source).toContain('      ---\n      an indented marker');
    // Ranges are offsets into the document's own source.
    const top = second.doc.contents as YAMLMap<Scalar, unknown>;
    const idStart = top.items[0]!.key.range![0];
    expect(second.source.slice(idStart, idStart + 3)).toBe('id:');
    expect(second.lineCounter.linePos(idStart)).toEqual({ line: 2, col: 1 });
  });

  it('warns about an empty document after a trailing separator', () => {
    const text = 'id: a\nnamespace: b\ntasks:\n  - id: t\n    type: x.Y\n---\n';
    const { flows, violations } = parseFlows([source('f.yml', text)]);
    expect(flows).toHaveLength(1);
    expect(only(violations)).toMatchObject({ line: 7, column: 1, severity: 'warning', origin: 'yaml' });
    expect(violations[0]!.message).toMatch(/document 2 of this file is empty/);
  });

  it('drops a UTF-8 byte order mark from the source and keeps columns right', () => {
    const body = 'id: bom\nnamespace: company.team\ntasks: []\n';
    const { flows } = parseFlows([
      source('bom.yml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)])),
    ]);
    expect(flows[0]!.source).toBe(body);
    expect(flows[0]!.id).toBe('bom');
  });

  it('keeps CRLF line endings in the source and counts lines right', () => {
    const text = fixture('nested.yaml').bytes.toString('utf8').replace(/\n/g, '\r\n');
    const { flows, violations } = parseFlows([source('crlf.yml', text)]);
    expect(violations).toEqual([]);
    expect(flows[0]!.source).toBe(text);
    expect(flows[0]!.line).toBe(2);
    expect(flows[0]!.namespace).toBe('company.team');
  });

  it('reads every file it is given, in order', () => {
    const { flows } = parseFlows([fixture('nested.yaml'), fixture('multi-doc.yaml')]);
    expect(flows.map((f) => f.id)).toEqual(['nested', 'first', 'second']);
  });
});

describe('parseFlows: files that are not flows', () => {
  it('reports an empty file and a comments-only file', () => {
    for (const text of ['', '\n\n', '# only a comment\n']) {
      const v = only(parseFlows([source('empty.yml', text)]).violations);
      expect(v).toMatchObject({ file: 'empty.yml', line: 1, column: 1, severity: 'error', origin: 'yaml' });
      expect(v.message).toMatch(/^file is empty/);
    }
  });

  it('refuses binary content: NUL bytes, or bytes that are not UTF-8 (at their line)', () => {
    const nul = only(parseFlows([source('a.yml', Buffer.from('id: a\n\0\n'))]).violations);
    expect(nul).toMatchObject({ line: 2, severity: 'error' });
    expect(nul.message).toMatch(/^not a text YAML file: it contains NUL bytes/);
    const latin1 = only(
      parseFlows([source('b.yml', Buffer.from('id: a\nnamespace: b\nname: caf\xe9\n', 'latin1'))]).violations,
    );
    expect(latin1).toMatchObject({ line: 3, severity: 'error' });
    expect(latin1.message).toMatch(/^not a text YAML file: it is not valid UTF-8/);
    // An overlong encoding is not UTF-8 either; real multi-byte text is.
    expect(
      parseFlows([source('c.yml', Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0xaf]))]).violations[0]!.message,
    ).toMatch(/not valid UTF-8/);
    expect(parseFlows([source('d.yml', 'id: héllo-👋\nnamespace: a\ntasks: []\n')]).flows).toHaveLength(1);
  });

  it('says a list or a scalar is not a flow', () => {
    const list = only(
      parseFlows([source('l.yml', '# defaults\n- type: io.kestra.X\n  values: {}\n')]).violations,
    );
    expect(list).toMatchObject({ line: 2, column: 1, severity: 'error' });
    expect(list.message).toMatch(/^not a Kestra flow: this file is a list/);
    expect(parseFlows([source('s.yml', 'hello\n')]).violations[0]!.message).toMatch(/is a single value/);
  });

  it('says a mapping without id and namespace is not a flow', () => {
    const v = only(parseFlows([source('t.yml', 'tasks:\n  - id: a\n    type: x.Y\n')]).violations);
    expect(v.message).toMatch(/^not a Kestra flow: this file has neither 'id' nor 'namespace'/);
    expect(v).toMatchObject({ line: 1, column: 1 });
  });

  it('recognises dashboards and apps as other Kestra resources', () => {
    const dash = only(parseFlows([fixture('dashboard.yaml')]).violations);
    expect(dash.message).toMatch(/looks like a Kestra Dashboard/);
    expect(dash.flow).toBe('?.overview');
    const app =
      'id: app\ntype: io.kestra.plugin.ee.apps.Execution\nnamespace: company\nflowId: f\nlayout: []\n';
    expect(only(parseFlows([source('app.yml', app)]).violations).message).toMatch(/looks like a Kestra App/);
    const test = 'id: t\nnamespace: company\nflowId: f\ntestCases: []\n';
    expect(only(parseFlows([source('test.yml', test)]).violations).message).toMatch(/flow unit test/);
  });

  it('says a document holding only a directive is empty', () => {
    const v = only(parseFlows([source('d.yml', '%YAML 1.2\n---\n')]).violations);
    expect(v.message).toBe('this file is empty: it holds no flow.');
  });

  it('takes a flow with only one of id and namespace (lint reports the missing one)', () => {
    expect(parseFlows([source('a.yml', 'id: a\ntasks: []\n')]).flows).toHaveLength(1);
  });
});

describe('parseFlows: YAML errors', () => {
  it('points a misindented key at its own line and says how to fix it', () => {
    const v = only(parseFlows([fixture('misindented.yaml')]).violations);
    expect(v).toMatchObject({
      file: 'flows/misindented.yaml',
      line: 6,
      column: 7,
      severity: 'error',
      origin: 'yaml',
    });
    expect(v.message).toMatch(
      /^YAML syntax error: Bad indentation: 'message:' is indented deeper than the line above/,
    );
    expect(v.message).toMatch(/Align it with its sibling keys/);
    expect(v.flow).toBe('company.team.misindented');
  });

  it('points a key indented less than its siblings at its first character', () => {
    const text = 'id: a\nnamespace: b\ntasks:\n  - id: x\n    type: y\n   message: z\n';
    const v = only(parseFlows([source('f.yml', text)]).violations);
    expect(v).toMatchObject({ line: 6, column: 4 });
    expect(v.message).toMatch(/Bad indentation/);
  });

  it('explains tabs in indentation', () => {
    const violations = parseFlows([fixture('tabs.yaml')]).violations;
    // Both tab-indented lines, each once.
    expect(violations.map((v) => [v.line, v.column, v.severity])).toEqual([
      [4, 1, 'error'],
      [5, 1, 'error'],
    ]);
    expect(violations[0]!.message).toBe(
      'YAML syntax error: Tabs are not allowed in YAML indentation: indent with spaces instead.',
    );
  });

  it('reports a duplicate key at the second one, naming the first', () => {
    const text =
      'id: a\nnamespace: b\ntasks:\n  - id: t\n    type: x.Y\n    message: one\n    message: two\n';
    const v = only(parseFlows([source('f.yml', text)]).violations);
    expect(v).toMatchObject({ line: 7, column: 5 });
    expect(v.message).toBe(
      "YAML syntax error: Duplicate field 'message' (already set at line 6 of the same mapping): keep only one of them.",
    );
  });

  it('finds the missing space after a colon and unquoted Pebble expressions', () => {
    const text = 'id: a\nnamespace: b\ntasks:\n  - id:hello\n    type: x.Y\n    message: {{ abc }}\n';
    const [a, b] = parseFlows([source('f.yml', text)]).violations;
    expect(a).toMatchObject({ line: 4, column: 5 });
    expect(a!.message).toMatch(/Missing space after ':' in 'id:hello'/);
    expect(b).toMatchObject({ line: 6, column: 14 });
    expect(b!.message).toMatch(
      /unquoted Pebble expression \{\{ abc \}\}.*Quote the value, e.g. "\{\{ abc \}\}"/,
    );
  });

  it('refuses an unquoted Pebble expression that YAML alone accepts', () => {
    const text =
      'id: a\nnamespace: b\ntasks:\n  - id: hello\n    type: x.Y\n    message: {{ undefinedVar }}\n';
    const { flows, violations } = parseFlows([source('f.yml', text)]);
    expect(flows).toEqual([]);
    expect(only(violations)).toMatchObject({ line: 6, column: 14, origin: 'yaml' });
  });

  it('suggests quoting a value that contains ": "', () => {
    const v = only(
      parseFlows([source('f.yml', 'id: a\nnamespace: b\ndescription: note: this\n')]).violations,
    );
    expect(v).toMatchObject({ line: 3, column: 14 });
    expect(v.message).toMatch(/contains ': '.*Quote the whole value/);
  });

  it('reports an alias to no anchor (redacted `**` values)', () => {
    const v = only(parseFlows([source('f.yml', 'id: a\nnamespace: b\npassword: **\n')]).violations);
    expect(v).toMatchObject({ line: 3, column: 11 });
    expect(v.message).toMatch(/unknown alias '\*\*'.*Quote the value/);
  });

  it('reports an unclosed quote', () => {
    const v = parseFlows([source('f.yml', 'id: a\nnamespace: "b\ntasks: []\n')]).violations[0]!;
    expect(v.message).toMatch(/Missing closing "quote.*Add the closing quote/);
  });

  it('gives the line in the file for an error in the second document', () => {
    const text = 'id: a\nnamespace: b\ntasks: []\n---\nid: c\nnamespace: d\nid: e\n';
    const { flows, violations } = parseFlows([source('f.yml', text)]);
    expect(flows.map((f) => f.id)).toEqual(['a']);
    expect(only(violations)).toMatchObject({ line: 7, column: 1, flow: 'd.c' });
  });
});
