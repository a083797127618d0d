// `fix` on one file: the old `io.kestra.core.tasks.*` aliases rewritten (aliases.ts), and with a 2.x target
// each ForEach that can safely become a Loop (for-each.ts); the file written back, each rewrite logged with
// its line in the written file, and each ForEach left as written logged with the reason.
import { writeFile } from 'node:fs/promises';
import type { Logger } from '../../kestra/api.js';
import { majorOf } from '../../model/kestra-version.js';
import type { SourceFile } from '../../model/types.js';
import { fixAliases } from './aliases.js';
import { FOR_EACH_TYPE, fixForEach } from './for-each.js';

export interface Fixed {
  file: string;
  line: number;
  from: string;
  to: string;
  note?: string;
}

export interface Unfixed {
  file: string;
  line: number;
  from: string;
  reason: string;
}

const NOT_2X =
  'Loop is Kestra 2.x syntax: rewritten only with a 2.x target (kestra-version 2.0 or a 2.x server)';

/** The file with its rewrites, written back; a file that is not plain UTF-8 is left alone. */
export async function fixFile(
  file: SourceFile,
  kestraVersion: string | undefined,
  report: { fixed: Fixed[]; unfixed: Unfixed[] },
  log: Logger,
): Promise<SourceFile> {
  const text = file.bytes.toString('utf8');
  const hasAliases = /io\.kestra\.core\.(tasks|models)\./.test(text);
  const hasForEach = text.includes(FOR_EACH_TYPE);
  if ((!hasAliases && !hasForEach) || !Buffer.from(text, 'utf8').equals(file.bytes)) return file;
  const aliases = hasAliases ? fixAliases(text) : { text, fixes: [] };
  const loops = hasForEach ? fixForEach(aliases.text) : { text: aliases.text, fixes: [], refused: [] };
  const toLoop = kestraVersion !== undefined && majorOf(kestraVersion) >= 2;
  // Lines in the written file: each added `concurrencyLimit` line moves the lines below it.
  const added = toLoop ? loops.fixes.filter((f) => f.addedLine).map((f) => f.line) : [];
  const at = (line: number): number => line + added.filter((l) => l < line).length;

  const fixed: Fixed[] = aliases.fixes.map((f) => ({ file: file.path, ...f, line: at(f.line) }));
  const unfixed: Unfixed[] = loops.refused.map((r) => ({
    file: file.path,
    ...r,
    line: at(r.line),
    ...(toLoop ? {} : { reason: NOT_2X }),
  }));
  for (const f of loops.fixes) {
    if (toLoop) fixed.push({ file: file.path, line: at(f.line), from: f.from, to: f.to, note: f.note });
    else unfixed.push({ file: file.path, line: f.line, from: f.from, reason: NOT_2X });
  }
  fixed.sort((a, b) => a.line - b.line);
  unfixed.sort((a, b) => a.line - b.line);
  for (const f of fixed)
    log.info(`Fixed ${f.file}:${f.line}: ${f.from} → ${f.to}${f.note ? ` (${f.note})` : ''}`);
  for (const u of unfixed) log.info(`Not fixed ${u.file}:${u.line}: ${u.from} stays: ${u.reason}`);
  report.fixed.push(...fixed);
  report.unfixed.push(...unfixed);

  const out = toLoop ? loops.text : aliases.text;
  if (out === text) return file;
  const bytes = Buffer.from(out, 'utf8');
  await writeFile(file.absolutePath, bytes);
  return { ...file, bytes };
}
