// `fix`: the safe mechanical rewrite of the old `io.kestra.core.*` aliases (tasks gone in Kestra 2.0, old
// trigger names) to their canonical names (renameOf in core-types.ts), in a file's text. Only the characters
// of each alias change: comments, quotes, indentation and line ends stay as written. A document the YAML
// parser reads with errors is left alone.
import { isPair, isScalar, LineCounter, parseAllDocuments, visit } from 'yaml';
import { renameOf } from '../check/core-types.js';

/** One rewrite: where (1-based line in the file), from which name to which. */
export interface AliasFix {
  line: number;
  from: string;
  to: string;
}

export function fixAliases(text: string): { text: string; fixes: AliasFix[] } {
  const lines = new LineCounter();
  const edits: { start: number; end: number; raw: string; fix: AliasFix }[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (doc.errors.length) continue;
    visit(doc, {
      Pair(_key, pair) {
        if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'type') return;
        const value = pair.value;
        if (!isScalar(value) || typeof value.value !== 'string' || !value.range) return;
        const to = renameOf(value.value);
        const [start, end] = value.range;
        const raw = text.slice(start, end);
        // A name written with escapes is not spelled out in the text: left for a person to rewrite.
        if (!to || !raw.includes(value.value)) return;
        const fix = { line: lines.linePos(start).line, from: value.value, to };
        edits.push({ start, end, raw: raw.replace(value.value, to), fix });
      },
    });
  }
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, e.start) + e.raw + out.slice(e.end);
  }
  return { text: out, fixes: edits.map((e) => e.fix).sort((a, b) => a.line - b.line) };
}
