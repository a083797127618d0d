// A plan as changes to review: each created, updated and deleted flow or file, with the unified diff of the
// server's content (the plan's `before`) against Git's for text, and the size change for binary files.
import { promises as fs } from 'node:fs';
import type { AnyPlan } from '../../model/plan.js';
import type { PlannedChange } from '../../model/results.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';
import { unifiedDiff } from './diff.js';

/** A text file larger than this gets its size change only: its diff would be no review, and costly to make. */
export const MAX_DIFF_BYTES = 1024 * 1024;

/** Text when it decodes as UTF-8 and holds no NUL (as git tells text from binary), else undefined. */
export function asText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `readFile`: a namespace file's local bytes (tests pass their own). */
export async function planChanges(
  plan: AnyPlan,
  readFile: (absolutePath: string) => Promise<Uint8Array> = (p) => fs.readFile(p),
): Promise<PlannedChange[]> {
  const { namespace, resource } = plan;
  const deleted = plan.delete.map((name): PlannedChange => ({
    resource,
    namespace,
    name,
    action: 'delete',
    ...(plan.resource === 'flows' ? { revision: plan.revisions.get(name) } : {}),
    reason: 'delete: true',
  }));
  if (plan.resource === 'flows') {
    const name = (id: string): string => `${namespace}.${id}`;
    return [
      ...plan.create.map((f): PlannedChange => ({
        resource,
        namespace,
        name: f.id as string,
        action: 'create',
        file: f.file,
      })),
      ...plan.update.map((f): PlannedChange => {
        const id = f.id as string;
        const base = {
          resource,
          namespace,
          name: id,
          action: 'update' as const,
          file: f.file,
          revision: plan.revisions.get(id),
        };
        const before = plan.before?.get(id);
        if (before === undefined) return { ...base, unread: true };
        const text = typeof before === 'string' ? before : (asText(before) ?? '');
        return { ...base, ...diffOf(...asStored(text, f.source), name(id)) };
      }),
      ...deleted,
    ];
  }
  const updated = await mapLimit(plan.update, DEFAULT_CONCURRENCY, async (f): Promise<PlannedChange> => {
    const path = plan.to + f.relative;
    const base = { resource, namespace, name: path, action: 'update' as const, file: f.file };
    // On Kestra up to 1.3 the plan read the file under its stored name, a space as '+' (plan-files.ts).
    const before = plan.before?.get(path) ?? plan.before?.get(path.replace(/ /g, '+'));
    const after = await readFile(f.absolutePath);
    if (before === undefined) {
      const size = asText(after) === undefined ? { size: { after: after.length } } : {};
      return { ...base, ...size, unread: true };
    }
    const bytes = typeof before === 'string' ? new TextEncoder().encode(before) : before;
    const size = { size: { before: bytes.length, after: after.length } };
    if (bytes.length > MAX_DIFF_BYTES || after.length > MAX_DIFF_BYTES)
      return { ...base, ...size, large: true };
    const [old, now] = [asText(bytes), asText(after)];
    if (old === undefined || now === undefined) return { ...base, ...size };
    return { ...base, ...diffOf(old, now, `${namespace}${path}`) };
  });
  return [
    ...plan.create.map((f): PlannedChange => ({
      resource,
      namespace,
      name: plan.to + f.relative,
      action: 'create',
      file: f.file,
    })),
    ...updated,
    ...deleted,
  ];
}

/**
 * A flow's two sources as Kestra compares and stores them (see sameSource in plan.ts): the server trims what it
 * is sent, line ends are compared as `\n`, and the server's `revision:` line is its own. The diff then shows only
 * what the deploy changes, not a missing final newline on every flow.
 */
export function asStored(server: string, git: string): [string, string] {
  const norm = (s: string): string => `${s.replace(/\r\n/g, '\n').trim()}\n`;
  const hasRevision = /^revision:/m;
  const old = hasRevision.test(git) ? server : server.replace(/^revision:.*\n?/m, '');
  return [norm(old), norm(git)];
}

const diffOf = (
  before: string,
  after: string,
  label: string,
): Pick<PlannedChange, 'diff' | 'added' | 'removed'> => {
  const d = unifiedDiff(before, after, `server/${label}`, `git/${label}`);
  return { diff: d.text, added: d.added, removed: d.removed };
};

/**
 * With `maxDeletes`, the refusal when the plans together would delete more: a message naming the count and
 * the first deletions, or undefined when within the limit.
 */
export function tooManyDeletes(
  plans: readonly AnyPlan[],
  maxDeletes: number | undefined,
): string | undefined {
  if (maxDeletes === undefined) return undefined;
  const names = plans.flatMap((p) =>
    p.delete.map((n) => (p.resource === 'flows' ? `${p.namespace}.${n}` : `${p.namespace}:${n}`)),
  );
  if (names.length <= maxDeletes) return undefined;
  const what = plans[0]?.resource === 'namespace-files' ? 'files' : 'flows';
  const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '');
  return (
    `this deploy would delete ${names.length} ${what} (${shown}), more than 'max-deletes' allows (${maxDeletes}): ` +
    `nothing was written or deleted. Check what 'delete' removes, or raise 'max-deletes'.`
  );
}
