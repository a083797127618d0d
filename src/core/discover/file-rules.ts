// Which files a run manages: `include`, `exclude` and (namespace files) `.kestraignore`, as one set of rules
// tested on paths relative to `directory`, for the local tree (what is read or uploaded, walk.ts) and for the
// server's paths (what `delete` may remove). The globs mean what @actions/glob made them mean when flows were
// discovered with it: a property test (__tests__/property/discover.test.ts) holds both kinds to one walk.
import ignore, { type Ignore } from 'ignore';
import type { LeftOutBy } from '../../model/plan.js';
import { DiscoverError } from './walk.js';

export class FileRules {
  private readonly include: RegExp[] | undefined;
  private readonly exclude: RegExp[];
  /** Undefined without a `.kestraignore` (flows never have one): nothing to ask for every file. */
  private readonly ignored: Ignore | undefined;

  /**
   * `include` empty: every file. `kestraignore`: the text of the directory's `.kestraignore` (gitignore
   * rules). Throws a DiscoverError naming a glob that could leave the directory.
   */
  constructor(include: readonly string[], exclude: readonly string[], kestraignore = '') {
    const compile = (globs: string[]): RegExp[] => globs.map((g) => globRegExp(caseInsensitiveExtension(g)));
    this.include = include.length ? compile(expandAll(include, 'include')) : undefined;
    this.exclude = compile(expandAll(exclude, 'exclude'));
    this.ignored = kestraignore.trim() ? ignore().add(kestraignore) : undefined;
  }

  /** A folder is walked unless `exclude` or `.kestraignore` names it (`include` is tested on files). */
  skipsFolder(relative: string): LeftOutBy | undefined {
    if (this.excludes(relative)) return 'exclude';
    return this.ignored?.ignores(`${relative}/`) ? '.kestraignore' : undefined;
  }

  /** Why the file at `relative` is not managed, or undefined when it is. */
  leavesOut(relative: string): LeftOutBy | undefined {
    if (this.excludes(relative)) return 'exclude';
    if (this.ignored?.ignores(relative)) return '.kestraignore';
    if (this.include && !this.include.some((re) => re.test(relative))) return 'include';
    return undefined;
  }

  /** `exclude` names the path or one of its folders: an excluded folder takes everything under it. */
  private excludes(relative: string): boolean {
    if (this.exclude.length === 0) return false;
    const segments = relative.split('/');
    for (let n = 1; n <= segments.length; n++) {
      const prefix = segments.slice(0, n).join('/');
      if (this.exclude.some((re) => re.test(prefix))) return true;
    }
    return false;
  }
}

/** Checks one glob and expands `{a,b}` braces (the glob rules below know no braces). */
export function expandAll(patterns: readonly string[], what: string): string[] {
  const out: string[] = [];
  for (const original of patterns) {
    let p = original.trim().replace(/\\/g, '/');
    if (!p) continue;
    if (p.startsWith('!')) {
      // Advice that fits the input it appears in: an exclude is already a negation.
      const bare = p.replace(/^!+/, '');
      throw new DiscoverError(
        what === 'exclude'
          ? `exclude glob '${original}' starts with '!': every 'exclude' glob already leaves its files out, so write '${bare}' (there is no re-including: narrow 'include' instead).`
          : `${what} glob '${original}' starts with '!': to leave those files out, list '${bare}' under 'exclude'.`,
      );
    }
    if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) {
      throw new DiscoverError(`${what} glob '${original}' is absolute: globs are relative to 'directory'.`);
    }
    while (p.startsWith('./')) p = p.slice(2);
    if (p.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new DiscoverError(
        `${what} glob '${original}' contains '.' or '..': globs are relative to 'directory' and cannot leave it.`,
      );
    }
    if (p.endsWith('/')) p += '**';
    out.push(...expandBraces(p));
  }
  return [...new Set(out)];
}

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if ((ch === ',' && depth === 1) || (ch === '}' && depth === 0)) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
    if (depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((part) => expandBraces(head + part + tail));
    }
  }
  return [pattern]; // unbalanced: keep literally
}

/** `x.yml` → `x.[yY][mM][lL]`: a flow's extension matches in any case, on every system. */
export function caseInsensitiveExtension(pattern: string): string {
  return pattern.replace(
    /\.(ya?ml)$/i,
    (_m, ext: string) => '.' + [...ext].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join(''),
  );
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  xdigit: '0-9a-fA-F',
  word: '\\w',
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * One checked glob (no braces, no `.`/`..`, `/`-separated) → a RegExp on a whole relative path, with the
 * rules @actions/glob gives it: `*` and `?` stay within a segment and match dots, `**` as a segment spans any
 * number of them (a trailing one also matches the folder itself), `[...]` is a class (`[!…]` negated).
 */
export function globRegExp(glob: string): RegExp {
  // Empty segments go, and `**/**` is one `**`.
  const segments = glob.split('/').filter((s, i, all) => s !== '' && !(s === '**' && all[i - 1] === '**'));
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      if (i === 0) source += last ? '[^/]+(?:/[^/]+)*' : '(?:[^/]+/)*';
      else source = last ? `${source.slice(0, -1)}(?:/[^/]+)*` : `${source}(?:[^/]+/)*`;
      return;
    }
    source += segmentSource(segment) + (last ? '' : '/');
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const cls = classAt(segment, i);
      if (cls) {
        out += cls.source;
        i = cls.end;
      } else out += '\\[';
    } else out += escapeRegExp(ch);
  }
  return out;
}

/** The class opening at `start`, or undefined when it never closes (then `[` is literal). */
function classAt(segment: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negated = segment[i] === '!' || segment[i] === '^';
  if (negated) i++;
  let body = '';
  // A `]` first in the class is one of its characters.
  for (let first = true; i < segment.length; i++, first = false) {
    const ch = segment[i] as string;
    if (ch === ']' && !first) {
      if (body === '') return undefined;
      return { source: `[${negated ? '^/' : ''}${body}]`, end: i };
    }
    const posix = /^\[:(\w+):\]/.exec(segment.slice(i));
    if (posix && POSIX_CLASSES[posix[1] as string]) {
      body += POSIX_CLASSES[posix[1] as string];
      i += posix[0].length - 1;
    } else if (ch === '-' && body !== '' && segment[i + 1] !== ']') body += '-';
    else body += ch === '\\' || ch === ']' || ch === '[' || ch === '^' || ch === '-' ? `\\${ch}` : ch;
  }
  return undefined;
}
