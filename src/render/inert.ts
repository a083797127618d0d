// Someone else's text (a file name, a flow id, a server message) as one inert log line, for every front-end:
// a CI reads each line of a job's output as a possible command, and a terminal obeys escape sequences. The
// GitHub runner acts on a leading `::` (after blanks) and on `##[` anywhere; Azure on `##vso[`.

/** Control characters, with the Unicode line breaks; tab stays. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
const VISIBLE: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
/** Blanks the runner trims before looking for `::` (.NET's white space holds U+180E; U+0085 is escaped first). */
const LEADING_COMMAND = /^([\s\u180e]*)::/;

/** `text` with control characters as visible escapes (`\n`, `\u001b`), `##[`/`##vso[` and a leading `::` defused. */
export function inertLine(text: string): string {
  return text
    .replace(CONTROL, (c) => VISIBLE[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/##(?=vso\[|\[)/gi, '##\\')
    .replace(LEADING_COMMAND, '$1\\::');
}
