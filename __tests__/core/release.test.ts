import { describe, expect, it } from '@jest/globals';
import { releaseDocument } from '../../src/core/parse/release.js';
import { flowOf } from './helpers.js';

describe('releaseDocument', () => {
  const text =
    'id: hello\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n';

  it('keeps every field of the flow but not its syntax tree', () => {
    const flow = flowOf(text, 'flows/hello.yml');
    const released = releaseDocument(flow);
    const { doc: _doc, lineCounter: _lineCounter, ...fields } = flow;
    expect({ ...released }).toEqual(fields);
    expect(Object.values(released)).not.toContain(flow.doc);
  });

  it('parses the source again, once, when the tree is asked for', () => {
    const flow = flowOf(text);
    const released = releaseDocument(flow);
    expect(released.doc).not.toBe(flow.doc);
    expect(released.doc.toJS()).toEqual(flow.doc.toJS());
    expect(released.doc).toBe(released.doc);
    const taskType = text.indexOf('io.kestra');
    expect(released.lineCounter.linePos(taskType)).toEqual(flow.lineCounter.linePos(taskType));
  });
});
