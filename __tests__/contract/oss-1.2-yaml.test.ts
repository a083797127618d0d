// Contract: the YAML request bodies the client sends below Kestra 1.3 (validate, namespace update) are ones
// Kestra's OpenAPI spec accepts. The spec is 1.3's; 1.0–1.2 share its paths (`/api/v1/{tenant}/…`), and
// YAML is the one body format every version takes. Below 0.23 paths have no tenant and the 1.3 spec has
// no such paths, so 0.22 is covered by the emulator tests only (__tests__/kestra/client.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connect, type KestraClient } from '../../shared/kestra/index.js';
import { steps } from './exercise.js';
import { startPrism, type Prism } from './prism.js';

let emu: Emulator;
let prism: Prism;
let client: KestraClient;

beforeAll(async () => {
  emu = await startEmulator({ version: '1.2.0' });
  prism = await startPrism(emu.url);
  client = await connect({ server: prism.url, retry: { attempts: 1 } });
}, 30_000);

afterAll(async () => {
  await client?.close();
  await prism?.close();
  await emu?.close();
});

describe('Kestra 1.2 (YAML bodies) through Prism', () => {
  it('is detected as 1.2 with YAML bodies', () => {
    expect(client.info).toEqual({ version: '1.2.0', edition: 'OSS', tenantInPath: true, multipart: false });
  });

  it.each(
    steps(
      () => client,
      () => emu,
    ),
  )('%s: accepted by the spec', async (_name, step) => {
    prism.answers.length = 0;
    await step();
    expect(prism.problems()).toEqual([]);
    expect(prism.answers.length).toBeGreaterThan(0);
  });

  it('sent YAML, not multipart, to validate and to the namespace update', () => {
    const types = emu.requests
      .filter((r) => r.method === 'POST' && /\/flows\/(validate|contract\.team)$/.test(r.path))
      .map((r) => r.contentType);
    expect(types.length).toBeGreaterThanOrEqual(4); // validate twice (a flow starting with --- goes alone), bulk twice
    expect(new Set(types)).toEqual(new Set(['application/x-yaml']));
  });
});
