// A small JSON Schema (draft-04) validator for the keywords the report schemas under
// __tests__/fixtures/reporters/schemas/ use: type, enum, required, properties, additionalProperties,
// items, minItems, uniqueItems, minimum, minLength, pattern, anyOf, $ref to #/definitions/…, and format
// uri-reference. A keyword it does not know throws, so a schema never passes by being half read.

export type Schema = { [keyword: string]: unknown };

const KNOWN = new Set([
  '$schema',
  'id',
  'title',
  'description',
  'default',
  'definitions',
  'type',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'uniqueItems',
  'minimum',
  'minLength',
  'pattern',
  'anyOf',
  '$ref',
  'format',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const typeMatches = (value: unknown, type: string): boolean =>
  type === typeOf(value) || (type === 'number' && typeOf(value) === 'integer');

/** RFC 3986 relative or absolute reference: no spaces, controls or characters outside its set, `%` as `%XX`. */
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;

/** Every error of `value` against `schema`, as `path: what`; empty when it is valid. */
export function validateJson(value: unknown, schema: Schema, root: Schema = schema, at = '$'): string[] {
  for (const keyword of Object.keys(schema))
    if (!KNOWN.has(keyword)) throw new Error(`${at}: schema keyword '${keyword}' is not supported`);
  if (typeof schema.$ref === 'string') {
    const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? (root.definitions as Record<string, Schema>)[name] : undefined;
    if (!target) throw new Error(`${at}: cannot resolve ${schema.$ref}`);
    return validateJson(value, target, root, at);
  }
  const errors: string[] = [];
  const fail = (what: string) => errors.push(`${at}: ${what}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(value, t)))
      return [`${at}: is ${typeOf(value)}, not ${types.join(' or ')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (Array.isArray(schema.anyOf)) {
    const passing = (schema.anyOf as Schema[]).some((s) => validateJson(value, s, root, at).length === 0);
    if (!passing) fail('matches none of anyOf');
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength)
      fail(`shorter than ${schema.minLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      fail(`does not match ${schema.pattern}`);
    if (schema.format === 'uri-reference' && !URI_REFERENCE.test(value)) fail('is not a URI reference');
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum)
    fail(`is below ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(`has fewer than ${schema.minItems} items`);
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      fail('has duplicate items');
    if (schema.items)
      value.forEach((item, i) =>
        errors.push(...validateJson(item, schema.items as Schema, root, `${at}[${i}]`)),
      );
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) fail(`lacks '${key}'`);
    for (const [key, item] of Object.entries(object)) {
      if (properties[key]) errors.push(...validateJson(item, properties[key], root, `${at}.${key}`));
      else if (schema.additionalProperties === false) fail(`has '${key}', which the schema does not know`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...validateJson(item, schema.additionalProperties as Schema, root, `${at}.${key}`));
    }
  }
  return errors;
}
