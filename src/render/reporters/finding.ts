// What every machine-read report says of a finding besides its position: the rule it breaks and a
// fingerprint that follows the problem, not its line, so a CI's "new / fixed" comparison survives an edit.
import { createHash } from 'node:crypto';
import type { Violation } from '../../model/types.js';

/** The finding's rule; a finding with none is named by who found it. */
export function ruleOf(v: Violation): string {
  return v.rule ?? (v.origin === 'yaml' ? 'syntax' : 'unclassified');
}

/** `a\b/./c` → `a/b/c`: reports name files with `/`, whatever the runner's system. */
export const slashes = (file: string): string =>
  file
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/(^|\/)(\.\/)+/g, '$1');

/**
 * One fingerprint per finding (same order): a hash of the file, the rule, the flow (`namespace.id`) and the
 * node (`tasks[1].type`), never the line, so adding lines above a problem keeps its fingerprint and two
 * identical problems at two nodes get two. A finding with no node (a YAML error) is keyed on its document
 * and its message with the numbers taken out (messages name lines). Findings that still share a key are
 * told apart by their rank among those (first, second…), the first one keeping the bare key.
 */
export function fingerprints(findings: readonly Violation[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((v) => {
    const node = v.path ?? `document ${v.docIndex ?? 0}: ${v.message.replace(/\d+/g, '#')}`;
    const key = JSON.stringify([slashes(v.file), ruleOf(v), v.flow ?? '', node]);
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return createHash('sha256')
      .update(rank === 0 ? key : `${key}#${rank}`)
      .digest('hex')
      .slice(0, 32);
  });
}
