// What a Pebble text says, as far as `fix` needs it (src/core/fix/for-each.ts): the expression parts of a
// string (`{{ … }}` and `{% … %}`; comments and plain text are not evaluated), and the task outputs an
// expression reads.

/** The text inside each `{{ … }}` and `{% … %}` of `s`, in order. An unclosed one runs to the end. */
export function expressionParts(s: string): string[] {
  const parts: string[] = [];
  const open = /\{\{|\{%/g;
  for (let m = open.exec(s); m; m = open.exec(s)) {
    const close = m[0] === '{{' ? '}}' : '%}';
    const end = s.indexOf(close, m.index + 2);
    parts.push(s.slice(m.index + 2, end < 0 ? s.length : end));
    if (end < 0) break;
    open.lastIndex = end + 2;
  }
  return parts;
}

/** `taskrun.value`, as written: the one form `fix` rewrites (a spaced or indexed form is refused). */
export const TASKRUN_VALUE = /(?<![\w.$])taskrun\.value(?![\w$])/g;

/** Each `taskrun` in an expression part, with what follows it: `.value`, `.iteration`, `[…]`… */
export function taskrunUses(part: string): string[] {
  return [...part.matchAll(/(?<![\w.$])taskrun(?![\w$])(\s*(?:\.\s*[\w$]+|\[)?)/g)].map((m) =>
    m[1]!.replace(/\s+/g, ''),
  );
}

/** Whether an expression part uses the name (a variable, not a property of something else). */
export const usesName = (part: string, name: string): boolean =>
  new RegExp(`(?<![\\w.$])${name}(?![\\w$])`).test(part);

/**
 * The task ids whose outputs an expression part reads (`outputs.x`, `outputs['x']`); `undefined` in the list
 * stands for a read the text does not name (`outputs[name]`, `outputs | keys`, a bare `outputs`).
 */
export function outputReads(part: string): (string | undefined)[] {
  const reads: (string | undefined)[] = [];
  const at = /(?<![\w.$])outputs(?![\w$])/g;
  for (let m = at.exec(part); m; m = at.exec(part)) {
    const rest = part.slice(m.index + m[0].length);
    const named = /^\s*(?:\.\s*([\w$]+)|\[\s*(['"])(.*?)\2\s*\])/.exec(rest);
    reads.push(named ? (named[1] ?? named[3]) : undefined);
  }
  return reads;
}

/** Pebble's own words: operators, literals, tags. Not variables. */
const KEYWORDS = new Set(
  (
    'and or not is in true false null none if elseif else endif for endfor set block endblock macro endmacro ' +
    'filter endfilter raw endraw with endwith only as import from include extends parallel endparallel ' +
    'cache endcache autoescape endautoescape flush verbatim endverbatim embed endembed equals contains'
  ).split(' '),
);

/**
 * The variables an expression part starts from (`inputs` in `inputs.a.b`), not the names after a dot, in
 * string literals, of functions, of filters (`| upper`) or of tests (`is defined`). A name it does not
 * understand (a local of a `for`, a named argument) is listed too: the caller refuses what it cannot place.
 */
export function rootNames(part: string): string[] {
  const code = part.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  const names: string[] = [];
  for (const m of code.matchAll(/(?<![\w.$])[A-Za-z_$][\w$]*/g)) {
    const name = m[0];
    const before = code.slice(0, m.index).trimEnd();
    if (/^\s*\(/.test(code.slice(m.index + name.length))) continue;
    if (before.endsWith('|') || /(?<![\w.$])is(\s+not)?$/.test(before)) continue;
    if (!KEYWORDS.has(name)) names.push(name);
  }
  return names;
}
