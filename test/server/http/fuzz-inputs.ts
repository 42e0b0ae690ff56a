import { randomUUID } from 'node:crypto';

/**
 * Inputs for the API fuzz test (fuzz.test.ts): a plausible value for a JSON Schema, and the
 * malformed variants of a request that every operation must refuse with a 4xx.
 */
export type Schema = Record<string, any>;
export type Random = () => number;

export interface FuzzRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** A value that satisfies the simple parts of a schema, so one poisoned field is the only fault. */
export function sampleOf(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return sampleOf(options.find((option: Schema) => option.type !== 'null') ?? options[0], depth + 1);
  if ('default' in schema) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items, depth + 1));
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) value[name] = sampleOf(schema.properties?.[name], depth + 1);
      return value;
    }
    default:
      return null;
  }
}

function sampleString(schema: Schema): string {
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'uri':
    case 'url':
      return 'https://example.test/fuzz';
    case 'email':
      return 'fuzz@example.test';
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    default:
      return 'f'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

/** A value of a type the schema does not allow, or undefined when it allows any. */
export function wrongTypeFor(schema: Schema | undefined): unknown {
  const type = schema?.type;
  if (typeof type !== 'string') return undefined;
  return { string: 12345, integer: 'twelve', number: 'twelve', boolean: 'yes', array: { not: 'an array' }, object: ['not', 'an', 'object'], null: 7 }[type];
}

/** Fields of an object schema worth poisoning: its properties, one level deep. */
export function fieldsOf(schema: Schema | undefined): { path: string[]; schema: Schema }[] {
  const fields: { path: string[]; schema: Schema }[] = [];
  for (const [name, property] of Object.entries<Schema>(schema?.properties ?? {})) {
    fields.push({ path: [name], schema: property });
    for (const [inner, innerSchema] of Object.entries<Schema>(property.properties ?? {})) fields.push({ path: [name, inner], schema: innerSchema });
  }
  return fields;
}

/** A copy of `value` with the field at `path` set (parents created as needed). */
export function withField(value: unknown, path: string[], field: unknown): Record<string, unknown> {
  const copy = structuredClone(value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, any>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) {
    if (!cursor[key] || typeof cursor[key] !== 'object' || Array.isArray(cursor[key])) cursor[key] = {};
    cursor = cursor[key];
  }
  cursor[path[path.length - 1]] = field;
  return copy;
}

/** Strings that must never be stored: NUL, lone surrogates (both halves). */
export const POISON_STRINGS = ['nul\u0000here', 'high\ud800alone', '\udc00low'];

/** Raw JSON bodies that are not an object, or not JSON, or not UTF-8, or nested too deep. */
export const MALFORMED_BODIES: { label: string; body: string | Buffer }[] = [
  { label: 'null body', body: 'null' },
  { label: 'array body', body: '[]' },
  { label: 'string body', body: '"text"' },
  { label: 'number body', body: '42' },
  { label: 'truncated JSON', body: '{"a":' },
  { label: 'not JSON', body: 'a=b&c=d' },
  { label: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
  { label: 'CESU surrogate bytes', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { label: 'nested 10,000 deep', body: '['.repeat(10_000) + ']'.repeat(10_000) },
  { label: 'object nested 100 deep', body: '{"a":'.repeat(100) + '1' + '}'.repeat(100) },
];

/** Media types a JSON route must answer with 415. */
export const BAD_CONTENT_TYPES = ['text/plain', 'application/evil+json', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];

/** Values for a path parameter that is not what the route expects. */
export const BAD_PATH_VALUES = ['not-a-uuid', '%00', '%ED%A0%80', '%E0%A4', '%F0%9F%98', '..%2F..%2Fetc', 'x'.repeat(3000), '00000000-0000-0000-0000-00000000000g', "1'%20or%20'1'='1"];

/** Values for a query parameter: wrong types, NUL, bad UTF-8, huge. */
export const BAD_QUERY_VALUES = ['%00', '%ED%A0%80', '%FF', 'x'.repeat(3000), '-1', '1e309', 'NaN', '[]', '%7B%7D', 'true', ''];

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
