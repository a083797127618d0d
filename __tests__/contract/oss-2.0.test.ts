// Contract: every request the client sends to a Kestra 2.0 server is one Kestra's 2.0 OpenAPI spec (the
// April 2026 snapshot, __tests__/fixtures/openapi/SOURCE.md) accepts, with the emulator at 2.0.0 behind
// Prism. The gaps patched are the 1.3 ones (docs/kestra-api.md#openapi-gaps), which the 2.0 file still has.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { parse } from 'yaml';
import { contractRig, everyStepAccepted } from './exercise.js';
import { SPEC_20 } from './prism.js';

const rig = contractRig('2.0.0', SPEC_20);

type Spec = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, unknown> }; parameters?: { name: string }[] }>
  >;
};
const spec = (): Spec => parse(fs.readFileSync(SPEC_20, 'utf8'), { maxAliasCount: -1 }) as Spec;

describe('Kestra 2.0 through Prism', () => {
  it('is detected as 2.0 with multipart bodies', () => {
    expect(rig.client.info).toEqual({
      version: '2.0.0',
      edition: 'OSS',
      tenantInPath: true,
      multipart: true,
      known: true,
    });
  });

  everyStepAccepted(rig);

  it('searched with filters, never with the legacy parameters 2.0 removed', () => {
    const search = rig.emu.requests.filter((r) => r.path.endsWith('/flows/search'));
    expect(search.map((r) => r.query.toString())).toEqual(['filters%5Bq%5D%5BEQUALS%5D=a&page=1&size=100']);
    const declared = spec().paths['/api/v1/{tenant}/flows/search']?.get?.parameters?.map((p) => p.name);
    for (const legacy of ['q', 'namespace', 'scope', 'labels']) expect(declared).not.toContain(legacy);
  });

  it('exported flows with filters, never with the legacy namespace 2.0 removed', () => {
    const exported = rig.emu.requests.filter((r) => r.path.endsWith('/flows/export/by-query'));
    expect(exported.map((r) => r.query.toString())).toEqual([
      'filters%5Bnamespace%5D%5BEQUALS%5D=contract.team',
    ]);
    const route = spec().paths['/api/v1/{tenant}/flows/export/by-query'];
    const declared = route?.get?.parameters?.map((p) => p.name);
    for (const legacy of ['q', 'namespace', 'scope', 'labels']) expect(declared).not.toContain(legacy);
  });

  it('the multipart bulk patch is still needed: the 2.0 spec lists only YAML for the namespace update', () => {
    // If this fails, Kestra's spec now declares multipart: drop that patch in prism.ts.
    const content = spec().paths['/api/v1/{tenant}/flows/{namespace}']?.post?.requestBody?.content ?? {};
    expect(Object.keys(content)).toEqual(['application/x-yaml']);
  });

  it('a 2.0 error reached the client through Prism as a problem document', async () => {
    rig.prism.answers.length = 0;
    await expect(
      rig.client.createFlow(
        'id: a\nnamespace: contract.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n',
      ),
    ).rejects.toMatchObject({
      status: 409,
      problemType: 'https://kestra.io/docs/api-reference/problems/entity-already-exists',
    });
    rig.prism.answers.length = 0;
  });
});
