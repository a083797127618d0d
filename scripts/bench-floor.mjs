// The benchmark's floor: the least a client must do to deploy the same flows to Kestra ≥ 1.3, with no
// checks, no report and no safety: read the files, validate in batches of 100, list each namespace, send one
// multipart bulk request per namespace. Plain JavaScript on purpose (no bundle, no TypeScript).
//   node scripts/bench-floor.mjs <flows|files|validate> <directory> <server> [namespace]
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { FormData, request } from 'undici';

const [mode, directory, server, target] = process.argv.slice(2);
const api = `${server}/api/v1/main`;

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
  const text = await res.body.text();
  if (res.statusCode >= 300)
    throw new Error(`${res.statusCode} from ${method} ${url}: ${text.slice(0, 200)}`);
  return text;
}

const files = (await walk(directory)).sort();

if (mode === 'files') {
  // One upload per file, eight at a time, like any sane uploader.
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const form = new FormData();
      form.append('fileContent', new Blob([await readFile(file)]), 'file.bin');
      const remote = `/${path.relative(directory, file).split(path.sep).join('/')}`;
      await send('POST', `${api}/namespaces/${target}/files?path=${encodeURIComponent(remote)}`, form);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
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
      await send('GET', `${api}/flows/${ns}`);
      const form = new FormData();
      for (const f of group) form.append('flows', new Blob([f.source]), f.name);
      await send('POST', `${api}/flows/${ns}?delete=false`, form);
    }
  }
}
