/**
 * Text that must never reach a service: PostgreSQL refuses NUL in text columns (a 500 before this
 * guard) and silently turns a lone UTF-16 surrogate into U+FFFD, so the row would differ from
 * what the API acknowledged. Both are refused at the boundary, with the field named.
 */

/** How deep a JSON body may nest. Real payloads stay under ten; the limit is far above them. */
export const MAX_JSON_DEPTH = 64;

export interface BadText {
  field: string;
  message: string;
}

/** Why a string is refused, or null when it is fine. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  if (!value.isWellFormed()) return 'must not contain lone UTF-16 surrogates';
  return null;
}

/**
 * The first string (value or key) in a parsed JSON value that is refused, named as the dotted
 * path validation errors use (`github.owner`, `items.2`), or `root` for the value itself.
 * Recursion is safe: the body's nesting was limited before parsing.
 */
export function findBadText(value: unknown, root: string, path: string[] = []): BadText | null {
  const field = path.length ? path.join('.') : root;
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { field, message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], root, [...path, String(i)]);
      if (bad) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field, message: `a property name ${keyProblem}` };
      const bad = findBadText(item, root, [...path, key]);
      if (bad) return bad;
    }
  }
  return null;
}

/**
 * Checks a raw (still percent-encoded) path or query string: its bytes must be UTF-8 without NUL.
 * Node's query parser would turn invalid UTF-8 into U+FFFD and keep NUL, so this looks at the
 * bytes the client sent. Names the query parameter when it can.
 */
export function findBadUrlText(rawPath: string, rawQuery: string): BadText | null {
  const pathProblem = percentProblem(rawPath);
  if (pathProblem) return { field: 'path', message: pathProblem };
  if (!rawQuery) return null;
  for (const pair of rawQuery.split('&')) {
    const [rawName, rawValue = ''] = pair.split('=', 2);
    const nameProblem = percentProblem(rawName);
    if (nameProblem) return { field: 'query', message: `a parameter name ${nameProblem}` };
    const valueProblem = percentProblem(rawValue);
    if (valueProblem) return { field: `query.${decodeName(rawName)}`, message: valueProblem };
  }
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function percentProblem(raw: string): string | null {
  if (!raw.includes('%')) return raw.includes('\u0000') ? 'must not contain NUL characters (\\u0000)' : null;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const hex = c === 0x25 ? raw.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(raw[i], 'utf8'));
  }
  if (bytes.includes(0)) return 'must not contain NUL characters (%00)';
  try {
    strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return 'must be percent-encoded UTF-8';
  }
  return null;
}

function decodeName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replaceAll('+', ' ')).slice(0, 64);
  } catch {
    return rawName.slice(0, 64);
  }
}
