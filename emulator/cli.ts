// Runs the emulator until SIGINT/SIGTERM:
//   npx tsx emulator/cli.ts --port 8080 --version 1.3.19 [--user u --password p] [--token t] [--edition EE]
//                           [--tenant t]... [--host 127.0.0.1] [--known-types a,b,c]
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    version: { type: 'string', default: '1.3.19' },
    edition: { type: 'string', default: 'OSS' },
    user: { type: 'string' },
    password: { type: 'string' },
    token: { type: 'string', multiple: true },
    tenant: { type: 'string', multiple: true },
    'known-types': { type: 'string' },
  },
  strict: true,
});

const edition = values.edition.toUpperCase();
if (edition !== 'OSS' && edition !== 'EE') {
  console.error(`--edition must be OSS or EE, got "${values.edition}"`);
  process.exit(2);
}
if ((values.user === undefined) !== (values.password === undefined)) {
  console.error('--user and --password go together');
  process.exit(2);
}

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  version: values.version,
  edition,
  basicAuth: values.user !== undefined ? { username: values.user, password: values.password! } : undefined,
  tokens: values.token,
  tenants: values.tenant,
  knownTypes: values['known-types']?.split(',').map((t) => t.trim()),
});
console.log(emulator.url);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
