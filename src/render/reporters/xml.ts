// Text made safe for XML 1.0: markup characters as entities, and the characters XML 1.0 cannot hold at all
// (most C0 controls, lone surrogates, U+FFFE/U+FFFF), not even as references, shown as `\uXXXX`.

const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- the control characters are what it finds
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Element text: `<`, `&` and `>` (so `]]>` cannot appear) as entities; a carriage return kept as one. */
export function xmlText(s: string): string {
  return s
    .replace(FORBIDDEN, visible)
    .replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] as string);
}

/** A double-quoted attribute value: the text escapes, quotes, and line breaks and tabs as references. */
export function xmlAttribute(s: string): string {
  return xmlText(s).replace(
    /["'\n\t]/g,
    (c) => ({ '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\t': '&#9;' })[c] as string,
  );
}
