// Which namespace files a deploy manages: `include`, `exclude` and `.kestraignore`, as one set of rules
// tested on paths relative to `directory`, both for the local tree (what is uploaded) and for the server's
// paths (what `delete` may remove). The globs mean what they mean for flows (discover.ts, which hands them
// to @actions/glob); a test runs both on the same trees.
import ignore, { type Ignore } from 'ignore';
import type { LeftOutBy } from '../model/plan.js';
import { caseInsensitiveExtension, expandAll } from './discover.js';

export class FileRules {
  private readonly include: RegExp[] | undefined;
  private readonly exclude: RegExp[];
  private readonly ignored: Ignore;

  /**
   * `include` empty: every file. `kestraignore`: the text of the directory's `.kestraignore` (gitignore
   * rules). Throws a DiscoverError naming a glob that could leave the directory.
   */
  constructor(include: readonly string[], exclude: readonly string[], kestraignore = '') {
    const compile = (globs: string[]): RegExp[] => globs.map((g) => globRegExp(caseInsensitiveExtension(g)));
    this.include = include.length ? compile(expandAll(include, 'include')) : undefined;
    this.exclude = compile(expandAll(exclude, 'exclude'));
    this.ignored = ignore().add(kestraignore);
  }

  /** A folder is walked unless `exclude` or `.kestraignore` names it (`include` is tested on files). */
  skipsFolder(relative: string): LeftOutBy | undefined {
    if (this.excludes(relative)) return 'exclude';
    return this.ignored.ignores(`${relative}/`) ? '.kestraignore' : undefined;
  }

  /** Why the file at `relative` is not managed, or undefined when it is. */
  leavesOut(relative: string): LeftOutBy | undefined {
    if (this.excludes(relative)) return 'exclude';
    if (this.ignored.ignores(relative)) return '.kestraignore';
    if (this.include && !this.include.some((re) => re.test(relative))) return 'include';
    return undefined;
  }

  /** `exclude` names the path or one of its folders: an excluded folder takes everything under it. */
  private excludes(relative: string): boolean {
    const segments = relative.split('/');
    for (let n = 1; n <= segments.length; n++) {
      const prefix = segments.slice(0, n).join('/');
      if (this.exclude.some((re) => re.test(prefix))) return true;
    }
    return false;
  }
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
