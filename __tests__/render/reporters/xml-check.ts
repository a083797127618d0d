// A small XML 1.0 reader for the JUnit tests: it refuses what a real parser refuses (a stray `<` or `&`,
// an unknown entity, an unquoted or repeated attribute, a tag closed out of order, a character XML cannot
// hold, text outside the root) and gives back the element tree with attributes and text decoded.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML 1.0's Char production: tab, line feed, carriage return and U+0020 up, minus surrogates, U+FFFE/F. */
function checkChars(xml: string): void {
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (!ok) throw new Error(`character U+${c.toString(16)} is not allowed in XML 1.0`);
  }
}

function decode(text: string, where: string): string {
  if (/<|]]>/.test(text)) throw new Error(`raw '<' or ']]>' in ${where}`);
  return text.replace(/&([^;]*);|&/g, (_whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare '&' in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : Number(m[1]);
    const ch = String.fromCodePoint(code);
    checkChars(ch);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  checkChars(xml);
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (rest.length) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    const top = stack[stack.length - 1]!;
    if (text) {
      if (top === root && text.trim()) throw new Error('text outside the root element');
      // A parser reads a raw CR LF or CR as LF: only `&#13;` keeps a carriage return.
      top.text += decode(text.replace(/\r\n?/g, '\n'), `<${top.name}>`);
    }
    if (lt === -1) break;
    rest = rest.slice(lt);
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(rest);
    if (close) {
      if (top.name !== close[1]) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      rest = rest.slice(close[0].length);
      continue;
    }
    const open = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`).exec(rest);
    if (!open) throw new Error(`malformed tag at: ${rest.slice(0, 40)}`);
    if (top === root && root.children.length) throw new Error('a second root element');
    const element: XmlElement = { name: open[1]!, attributes: {}, children: [], text: '' };
    for (const a of open[2]!.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))) {
      if (a[1]! in element.attributes) throw new Error(`attribute ${a[1]} repeated on <${element.name}>`);
      // Attribute-value normalisation: a raw tab or line break reads as a space; references survive.
      element.attributes[a[1]!] = decode(a[2]!.replace(/\r\n|[\t\n\r]/g, ' '), `${element.name}@${a[1]}`);
    }
    top.children.push(element);
    if (!open[3]) stack.push(element);
    rest = rest.slice(open[0].length);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('no root element');
  return root.children[0]!;
}

/** Every element named `name` under `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
