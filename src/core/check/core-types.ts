// Kestra's core types per version, read from the generated list (core-types.generated.ts, made by
// scripts/core-types.ts from Kestra's source; docs/kestra-api.md#core-types): which names a target version
// has, and the closest one to a name it does not.
import { CORE_TYPES, CORE_TYPE_VERSIONS } from './core-types.generated.js';
import { closeEnough, editDistance } from './closest.js';

/** Packages whose types are all Kestra's own: a name there that no list has is not a type at all. */
export const CORE_PREFIXES = [
  'io.kestra.plugin.core.',
  'io.kestra.core.tasks.',
  'io.kestra.core.models.conditions.types.',
  'io.kestra.core.models.triggers.types.',
];
// Classes of Kestra's own test suite (its test flows use them), not types a server has.
const TEST_PREFIX = 'io.kestra.core.tasks.test.';

/** Whether the list speaks for this type: Kestra's core packages, but for its test classes. */
export const isCoreName = (type: string): boolean =>
  CORE_PREFIXES.some((p) => type.startsWith(p)) && !type.startsWith(TEST_PREFIX);

interface Entry {
  /** The class an alias stands for; the name itself otherwise. */
  canonical: string;
  versions: string[];
}

const ENTRIES = new Map<string, Entry>(
  CORE_TYPES.map(([name, kind, versions]) => [
    name,
    {
      canonical: kind.startsWith('alias:') ? kind.slice('alias:'.length) : name,
      versions: versions.split(' '),
    },
  ]),
);

const order = (v: string): number => {
  const [major, minor] = v.split('.').map(Number);
  return major! * 1000 + minor!;
};

/**
 * The list a target version is checked against: `all` (the union) with no target, a listed version's own,
 * the nearest older one for a version between two listed ones, or `beyond` (the union, not final) for a
 * version newer or older than every list.
 */
export function listFor(target: string | undefined): { version?: string; beyond: boolean } {
  if (target === undefined) return { beyond: false };
  const t = order(target);
  const listed = CORE_TYPE_VERSIONS.filter((v) => order(v) <= t);
  const newest = CORE_TYPE_VERSIONS[CORE_TYPE_VERSIONS.length - 1]!;
  if (listed.length === 0 || t > order(newest)) return { beyond: true };
  return { version: listed[listed.length - 1], beyond: false };
}

/** Whether a version (or, without one, any version) has this name, as a class or an alias. */
export function hasType(type: string, version?: string): boolean {
  const entry = ENTRIES.get(type);
  return entry !== undefined && (version === undefined || entry.versions.includes(version));
}

/**
 * What a name is: `task`, `trigger`, `condition` or `runner` (an alias: what its class is); undefined when
 * the list does not say (unknown names, types known only from Kestra's test flows).
 */
export function kindOf(type: string): string | undefined {
  const entry = ENTRIES.get(type);
  const kind = entry && KINDS.get(entry.canonical);
  return kind === 'seen' ? undefined : kind;
}

const KINDS = new Map(
  CORE_TYPES.filter(([, kind]) => !kind.startsWith('alias:')).map(([name, kind]) => [name, kind]),
);

/** The class an alias stands for (`io.kestra.core.tasks.log.Log` → `io.kestra.plugin.core.log.Log`), if it is one. */
function canonicalOf(type: string): string | undefined {
  const canonical = ENTRIES.get(type)?.canonical;
  return canonical !== type ? canonical : undefined;
}

/**
 * The canonical name an old `io.kestra.core.*` alias stands for (Kestra's declared aliases), when renaming is
 * safe and useful: the class exists wherever the alias does (no server loses it) and in the newest version
 * (so the name survives 2.0; an alias of a class 2.0 removed, such as `debugs.Echo`, gets none).
 */
export function renameOf(type: string): string | undefined {
  if (!type.startsWith('io.kestra.core.')) return undefined;
  const canonical = canonicalOf(type);
  if (!canonical || !hasType(canonical, CORE_TYPE_VERSIONS[CORE_TYPE_VERSIONS.length - 1])) return undefined;
  return versionsOf(type).every((v) => hasType(canonical, v)) ? canonical : undefined;
}

/**
 * Whether the name is known only from Kestra's later test flows or source (kind 'seen'), with no release
 * known: a target version without it may still have it (a patch release), so it is never judged missing.
 */
export const releaseUnknown = (type: string): boolean => KINDS.get(type) === 'seen';

/** The versions that have this name, oldest first. */
export const versionsOf = (type: string): string[] => ENTRIES.get(type)?.versions ?? [];

/**
 * The name of that version (or of any) closest to `type`: by the last segment (`Logg` → `Log`), then by the
 * package. Aliases suggest the class they stand for. Undefined when nothing is close.
 */
export function closestType(type: string, version?: string): string | undefined {
  const last = (s: string): string => s.slice(s.lastIndexOf('.') + 1).toLowerCase();
  const pkg = (s: string): string => s.slice(0, s.lastIndexOf('.'));
  const name = last(type);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const [candidate, entry] of ENTRIES) {
    if (version !== undefined && !entry.versions.includes(version)) continue;
    if (!isCoreName(candidate)) continue;
    const d = editDistance(name, last(candidate));
    const score = d * 10 + (pkg(candidate) === pkg(type) ? 0 : 5) + (entry.canonical === candidate ? 0 : 1);
    if (score < bestScore) [best, bestScore] = [entry.canonical, score];
  }
  if (best === undefined) return undefined;
  return closeEnough(name, editDistance(name, last(best))) && best !== type ? best : undefined;
}
