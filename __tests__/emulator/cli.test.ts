import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './http.js';

describe('emulator/cli.ts', () => {
  it('prints the URL, serves the chosen version with auth, and exits cleanly on SIGTERM', async () => {
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const child = spawn(
      tsx,
      ['emulator/cli.ts', '--port', '0', '--version', '0.24.0', '--user', 'u@x.io', '--password', 'Passw0rd'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', () => reject(new Error(`cli exited before printing its URL: ${out}`)));
      });
      const configs = (await (await fetch(`${url}/api/v1/configs`)).json()) as { version: string };
      expect(configs.version).toBe('0.24.0');
      expect((await fetch(`${url}/api/v1/main/flows/ns`)).status).toBe(401);
      const auth = 'Basic ' + Buffer.from('u@x.io:Passw0rd').toString('base64');
      expect((await fetch(`${url}/api/v1/main/flows/ns`, { headers: { authorization: auth } })).status).toBe(
        200,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
