// Contract: the YAML request bodies the client sends below Kestra 1.3 (validate, namespace update) are ones
// Kestra's OpenAPI spec accepts. The spec is 1.3's; 1.0–1.2 share its paths (`/api/v1/{tenant}/…`), and
// YAML is the one body format every version takes. Below 0.23 paths have no tenant and the 1.3 spec has
// no such paths, so 0.22 is covered by the emulator tests only (__tests__/kestra/client.test.ts).
import { describe, expect, it } from '@jest/globals';
import { contractRig, everyStepAccepted } from './exercise.js';

const rig = contractRig('1.2.0');

describe('Kestra 1.2 (YAML bodies) through Prism', () => {
  it('is detected as 1.2 with YAML bodies', () => {
    expect(rig.client.info).toEqual({
      version: '1.2.0',
      edition: 'OSS',
      tenantInPath: true,
      multipart: false,
      known: true,
    });
  });

  everyStepAccepted(rig);

  it('sent YAML, not multipart, to validate and to the namespace update', () => {
    const types = rig.emu.requests
      .filter((r) => r.method === 'POST' && /\/flows\/(validate|contract\.team)$/.test(r.path))
      .map((r) => r.contentType);
    expect(types.length).toBeGreaterThanOrEqual(4); // validate twice (a flow starting with --- goes alone), bulk twice
    expect(new Set(types)).toEqual(new Set(['application/x-yaml']));
  });
});
