import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call, fixtures, flow, form, postYaml, type ErrorJson, type FlowJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const NS = 'company.team';
const BULK = `/api/v1/main/flows/${NS}`;
const joined = (...sources: string[]): string => sources.join('\n---\n');
const blockScalar = readFileSync(path.join(fixtures, 'valid', 'block-scalar-separator.yaml'), 'utf8');

describe('POST /api/v1/{tenant}/flows/{namespace} with YAML', () => {
  it('creates flows, deletes the others of the namespace by default, and lists deleted flows first', async () => {
    const e = await start();
    e.seedFlow(flow('old'));
    // YAML pieces are trimmed, so only a trimmed stored source counts as unchanged.
    e.seedFlow(flow('kept').trim());
    e.seedFlow(flow('child', `${NS}.sub`));
    const res = await postYaml(e, BULK, joined(flow('kept'), flow('new')));
    expect(res.status).toBe(200);
    const body = res.json<FlowJson[]>();
    expect(body.map((f) => [f.id, f.revision, f.deleted])).toEqual([
      ['old', 1, false], // as it was before deletion
      ['kept', 1, false],
      ['new', 1, false],
    ]);
    expect(body[0]!.source).toBe(flow('old'));
    expect(e.listFlows(NS).map((f) => f.id)).toEqual(['kept', 'new']);
    // Exact namespace only: child namespaces are untouched.
    expect(e.getFlow(`${NS}.sub`, 'child')).toBeDefined();
  });

  it('keeps the others with delete=false', async () => {
    const e = await start();
    e.seedFlow(flow('old'));
    expect(
      (await postYaml(e, `${BULK}?delete=false`, flow('new'))).json<FlowJson[]>().map((f) => f.id),
    ).toEqual(['new']);
    expect(e.listFlows(NS).map((f) => f.id)).toEqual(['new', 'old']);
  });

  it('wipes the namespace when the body is empty and delete is left at its default', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    e.seedFlow(flow('b'));
    const res = await postYaml(e, BULK, '');
    expect(res.status).toBe(200);
    expect(res.json<FlowJson[]>().map((f) => f.id)).toEqual(['a', 'b']);
    expect(e.listFlows(NS)).toEqual([]);
  });

  it('keeps the revision when the same source is sent again, ignoring the revision line', async () => {
    const e = await start();
    await postYaml(e, BULK, flow('a'));
    const again = await postYaml(e, BULK, 'revision: 7\n' + flow('a'));
    expect(again.json<FlowJson[]>()[0]!.revision).toBe(1);
    const changed = await postYaml(e, BULK, flow('a', NS, '# changed\n'));
    expect(changed.json<FlowJson[]>()[0]!.revision).toBe(2);
  });

  it('splits naively on every ---, so a block scalar containing --- breaks (422, nothing written)', async () => {
    const e = await start();
    e.seedFlow(flow('victim'));
    const res = await postYaml(e, BULK, blockScalar.replace('company.team', NS));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toMatch(
      /^Invalid entity: Illegal genericflow source: YAML parsing error: /,
    );
    expect(e.getFlow(NS, 'victim')).toBeDefined();
    expect(e.writes()).toHaveLength(1);
  });

  it('fails a leading --- with an empty document', async () => {
    const e = await start();
    const res = await postYaml(e, BULK, '---\n' + flow('a'));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toContain('No content to map due to end-of-input');
  });

  it('refuses a flow of another namespace (422 with its uid), child namespaces included', async () => {
    const e = await start();
    const res = await postYaml(e, BULK, joined(flow('a'), flow('b', `${NS}.sub`, 'revision: 3\n')));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>()).toMatchObject({
      message: `Invalid entity: flow.namespace: main_${NS}.sub_b_3 - flow namespace is invalid`,
      _embedded: {
        errors: [{ path: 'flow.namespace', message: `main_${NS}.sub_b_3 - flow namespace is invalid` }],
      },
    });
    expect(e.listFlows()).toEqual([]);
  });

  it('answers 500 for a flow without namespace (the server hits a NullPointerException)', async () => {
    const e = await start();
    const res = await postYaml(
      e,
      BULK,
      'id: a\ntasks:\n  - {id: x, type: io.kestra.plugin.core.log.Log, message: m}',
    );
    expect(res.status).toBe(500);
    expect(res.json<ErrorJson>().message).toMatch(
      /^Internal server error: Cannot invoke "String.equals\(Object\)"/,
    );
  });

  it('refuses the same id twice', async () => {
    const e = await start();
    const res = await postYaml(e, BULK, joined(flow('a'), flow('a')));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toBe('Invalid entity: flow.id: Duplicate flow id');
  });

  it('is not transactional: a flow failing at upsert leaves earlier deletes and creates committed', async () => {
    const e = await start();
    e.seedFlow(flow('old'));
    const bad =
      'id: bad\nnamespace: company.team\ntasks:\n  - {id: x, type: io.kestra.plugin.core.debug.Nope}';
    const res = await postYaml(e, BULK, joined(flow('first'), bad, flow('never')));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toBe(
      'Invalid entity: Invalid type: io.kestra.plugin.core.debug.Nope',
    );
    expect(e.getFlow(NS, 'old')).toBeUndefined();
    expect(e.getFlow(NS, 'first')).toBeDefined();
    expect(e.getFlow(NS, 'never')).toBeUndefined();
  });

  it('0.22 parses strictly first (unknown types fail before any write) with the old namespace message', async () => {
    const e = await start({ version: '0.22.0' });
    e.seedFlow(flow('old'));
    const bad =
      'id: bad\nnamespace: company.team\ntasks:\n  - {id: x, type: io.kestra.plugin.core.debug.Nope}';
    expect((await postYaml(e, `/api/v1/flows/${NS}`, joined(flow('first'), bad))).status).toBe(422);
    expect(e.getFlow(NS, 'old')).toBeDefined();
    expect(e.getFlow(NS, 'first')).toBeUndefined();
    const other = await postYaml(e, `/api/v1/flows/${NS}`, flow('x', 'elsewhere'));
    expect(other.json<ErrorJson>().message).toBe('Invalid entity: flow.namespace: Flow namespace is invalid');
  });
});

describe('POST /api/v1/{tenant}/flows/{namespace} with multipart (1.3+)', () => {
  it('takes one flow per `flows` part without splitting, so a block scalar with --- survives', async () => {
    const e = await start();
    const body = form([
      { name: 'flows', content: blockScalar, filename: 'block.yaml' },
      { name: 'flows', content: flow('b'), filename: 'b.yaml' },
    ]);
    const res = await call(e, 'POST', BULK, { body });
    expect(res.status).toBe(200);
    expect(res.json<FlowJson[]>().map((f) => f.id)).toEqual(['block-scalar-separator', 'b']);
    expect(e.getFlow(NS, 'block-scalar-separator')!.source).toBe(blockScalar.trim());
  });

  it('trims each part as Java does: a trailing no-break space stays', async () => {
    const e = await start();
    const source = `${flow('a')}# end\u00a0`;
    const body = form([{ name: 'flows', content: `\n${source}\n\t`, filename: 'a.yaml' }]);
    expect((await call(e, 'POST', BULK, { body })).status).toBe(200);
    expect(e.getFlow(NS, 'a')!.source).toBe(source);
  });

  it('rewrites the namespace line with override=true', async () => {
    const e = await start();
    const body = form([{ name: 'flows', content: flow('a', 'somewhere.else'), filename: 'a.yaml' }]);
    expect((await call(e, 'POST', BULK, { body })).status).toBe(422);
    const body2 = form([{ name: 'flows', content: flow('a', 'somewhere.else'), filename: 'a.yaml' }]);
    expect((await call(e, 'POST', `${BULK}?override=true`, { body: body2 })).status).toBe(200);
    expect(e.getFlow(NS, 'a')!.source).toContain(`namespace: ${NS}\n`);
  });

  it('is a 415 before 1.3', async () => {
    const e = await start({ version: '1.2.0' });
    const body = form([{ name: 'flows', content: flow('a'), filename: 'a.yaml' }]);
    expect((await call(e, 'POST', BULK, { body })).status).toBe(415);
  });
});

describe('POST /api/v1/{tenant}/flows/bulk', () => {
  it('without namespace and with delete, deletes across the whole tenant', async () => {
    const e = await start();
    e.seedFlow(flow('a', 'one'));
    e.seedFlow(flow('b', 'two'));
    const res = await postYaml(e, '/api/v1/main/flows/bulk', flow('c', 'three'));
    expect(res.json<FlowJson[]>().map((f) => f.id)).toEqual(['a', 'b', 'c']);
    expect(e.listFlows().map((f) => f.id)).toEqual(['c']);
  });

  it('accepts child namespaces with allowNamespaceChild=true', async () => {
    const e = await start();
    const res = await postYaml(
      e,
      '/api/v1/main/flows/bulk?namespace=one&allowNamespaceChild=true',
      flow('a', 'one.sub'),
    );
    expect(res.status).toBe(200);
  });
});
