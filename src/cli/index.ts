#!/usr/bin/env node
// The `kestra-actions` command (package.json's bin; bundled into dist/cli/index.js by scripts/package.mjs).
import pkg from '../../package.json' with { type: 'json' };
import { main } from './program.js';
import { claimStdout } from './terminal.js';

const io = claimStdout();
main(process.argv.slice(2), io, { env: process.env, cwd: process.cwd(), version: pkg.version }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.stderr.write(`kestra-actions: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
