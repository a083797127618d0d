// The benchmark's floor: the least a client must do to do the job against Kestra ≥ 1.3, with no checks, no
// report and no safety, in the fewest requests (the formulas are in scripts/bench-targets.ts):
// - flows: validate in batches of 100; read each namespace's export once (it holds the flows' sources);
//   send one multipart bulk request (`delete=false`) per namespace with a change, carrying only the changes;
// - files: read the namespace's export once; upload created and changed files as zip batches; then delete
//   what Git no longer has (with --delete).
// Plain JavaScript on purpose (no bundle, no TypeScript).
//   node scripts/bench-floor.mjs <validate|flows|files> <directory> <server> [namespace] [--dry-run] [--delete]
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { FormData, request } from 'undici';
import { readZip, writeZip } from './bench-zip.mjs';

const [mode, directory, server, target] = process.argv.slice(2);
const dryRun = process.argv.includes('--dry-run');
const prune = process.argv.includes('--delete');
const api = `${server}/api/v1/main`;
/** A zip batch's size cap: well under any proxy's body limit, and 1,000 small files fit in one. */
const BATCH_BYTES = 32 * 1024 * 1024;

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function send(method, url, body) {
  const res = await request(url, { method, body });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode >= 300)
    throw new Error(`${res.statusCode} from ${method} ${url}: ${bytes.toString('utf8', 0, 200)}`);
  return bytes;
}

/** The namespace's export: its files, and its flows under `_flows/<id>.yml`. */
const exported = async (ns) => readZip(await send('GET', `${api}/namespaces/${ns}/files/export`));

const files = (await walk(directory)).sort();

if (mode === 'files') {
  const remote = await exported(target);
  const local = new Map();
  for (const file of files)
    local.set(path.relative(directory, file).split(path.sep).join('/'), await readFile(file));
  const changed = [...local].filter(([name, data]) => !remote.get(name)?.equals(data));
  if (!dryRun) {
    let batch = [];
    let bytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const form = new FormData();
      form.append('fileContent', new Blob([writeZip(batch)]), 'batch.zip');
      await send('POST', `${api}/namespaces/${target}/files?path=/`, form);
      batch = [];
      bytes = 0;
    };
    for (const [name, data] of changed) {
      if (bytes + data.length > BATCH_BYTES) await flush();
      batch.push({ name, data });
      bytes += data.length;
    }
    await flush();
    if (prune)
      for (const name of remote.keys())
        if (!name.startsWith('_flows/') && !local.has(name))
          await send('DELETE', `${api}/namespaces/${target}/files?path=${encodeURIComponent('/' + name)}`);
  }
} else {
  const flows = await Promise.all(files.map(async (f) => ({ name: f, source: await readFile(f, 'utf8') })));
  for (let i = 0; i < flows.length; i += 100) {
    const form = new FormData();
    for (const f of flows.slice(i, i + 100)) form.append('flows', new Blob([f.source]), f.name);
    await send('POST', `${api}/flows/validate`, form);
  }
  if (mode === 'flows') {
    const byNamespace = new Map();
    for (const f of flows) {
      const ns = /^namespace:\s*(\S+)/m.exec(f.source)[1];
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), f]);
    }
    for (const [ns, group] of byNamespace) {
      const remote = await exported(ns);
      const changed = group.filter((f) => {
        const id = /^id:\s*(\S+)/m.exec(f.source)[1];
        // The bulk endpoint stores each part trimmed.
        return remote.get(`_flows/${id}.yml`)?.toString('utf8').trim() !== f.source.trim();
      });
      if (dryRun || changed.length === 0) continue;
      const form = new FormData();
      for (const f of changed) form.append('flows', new Blob([f.source]), f.name);
      await send('POST', `${api}/flows/${ns}?delete=false`, form);
    }
  }
}
