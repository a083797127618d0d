// `npm run architecture`: the shape of the product's code, as figures. Modules, import floors (the longest
// chain of imports, counted in modules), the chain itself, and the largest files. Tests and the emulator
// are left out: they are not the house a newcomer reads first.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './action-runner.js';

/** Folders and root files whose TypeScript is the product (the entries and everything they import). */
const PRODUCT = ['index.ts', 'main.ts', 'validate', 'deploy', 'src'];

function productFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(repoRoot, rel);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(path.posix.join(rel, name));
    } else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) {
      out.push(rel);
    }
  };
  for (const entry of PRODUCT) walk(entry);
  return out;
}

/** Relative imports of a module, as repository paths of `.ts` files. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] as string));
    out.push(target.replace(/\.js$/, '.ts'));
  }
  return out;
}

export interface Shape {
  modules: number;
  floors: number;
  chain: string[];
  largest: { file: string; lines: number }[];
}

export function measure(): Shape {
  const files = productFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  const lines = new Map<string, number>();
  for (const file of files) {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    lines.set(file, text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
    graph.set(
      file,
      importsOf(file, text).filter((t) => known.has(t)),
    );
  }
  // Longest chain by depth-first search with memo (an import cycle counts each module once).
  const memo = new Map<string, string[]>();
  const visiting = new Set<string>();
  const longest = (file: string): string[] => {
    const cached = memo.get(file);
    if (cached) return cached;
    if (visiting.has(file)) return [];
    visiting.add(file);
    let best: string[] = [];
    for (const next of graph.get(file) ?? []) {
      const chain = longest(next);
      if (chain.length > best.length) best = chain;
    }
    visiting.delete(file);
    const chain = [file, ...best];
    memo.set(file, chain);
    return chain;
  };
  let chain: string[] = [];
  for (const file of files) {
    const c = longest(file);
    if (c.length > chain.length) chain = c;
  }
  const largest = [...lines]
    .map(([file, n]) => ({ file, lines: n }))
    .sort((a, b) => b.lines - a.lines)
    .slice(0, 5);
  return { modules: files.length, floors: chain.length, chain, largest };
}

if (process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('scripts', 'architecture.ts'))) {
  const shape = measure();
  console.log(`${shape.modules} modules on ${shape.floors} floors of imports`);
  console.log(`longest chain: ${shape.chain.map((f) => f.replace(/\.ts$/, '')).join(' → ')}`);
  console.log('largest files:');
  for (const { file, lines } of shape.largest) console.log(`  ${String(lines).padStart(5)}  ${file}`);
}
