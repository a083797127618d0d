// Small helpers over a flow's source text: lines, columns, indentation and line endings, by character offset.

/** The line ending the source uses (CRLF when it has any). */
export const eolOf = (source: string): string => (source.includes('\r\n') ? '\r\n' : '\n');

/** 0-based column of an offset (characters since the start of its line). */
export function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

/** The whole line holding `offset`, without its line ending. */
export function lineAt(source: string, offset: number): string {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  const end = source.indexOf('\n', offset);
  return source.slice(start, end < 0 ? source.length : end).replace(/\r$/, '');
}

export const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** The nearest line above `offset`'s line that holds something other than blanks or a comment. */
export function previousContentLine(source: string, offset: number): string | undefined {
  const lines = source.slice(0, source.lastIndexOf('\n', offset - 1) + 1).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() && !line.trim().startsWith('#')) return line;
  }
  return undefined;
}

export function countNewlines(data: string | Uint8Array): number {
  let n = 0;
  if (typeof data === 'string') {
    for (let i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', i + 1)) n++;
  } else {
    for (const b of data) if (b === 0x0a) n++;
  }
  return n;
}
