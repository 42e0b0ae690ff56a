import type { SgNode } from '@ast-grep/napi';
import type { Language } from '#protocol/findings.ts';

/**
 * Helpers the security rules share across languages: literal values (with the one-hop constant
 * and config-default resolution that real code needs), imports, and security-sounding names.
 */

export type Family = 'js' | 'python' | 'go' | 'java';

export function familyOf(language: Language): Family {
  return language === 'python' || language === 'go' || language === 'java' ? language : 'js';
}

export const CALL_KIND: Readonly<Record<Family, string>> = { js: 'call_expression', python: 'call', go: 'call_expression', java: 'method_invocation' };

export const FUNCTION_KINDS: Readonly<Record<Family, readonly string[]>> = {
  js: ['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration'],
  python: ['function_definition', 'lambda'],
  go: ['function_declaration', 'method_declaration', 'func_literal'],
  java: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
};

/** The content of a string literal without interpolation, or undefined for anything else. */
export function stringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const kind = String(node.kind());
  const text = node.text();
  switch (kind) {
    case 'string': {
      // Python f-strings interpolate; JS/Python plain strings do not.
      if (/^[a-zA-Z]*[fF][a-zA-Z]*['"]/.test(text)) return undefined;
      // Python prefixes (r, b, u); Python and JS quotes, triple quotes included.
      const body = text.replace(/^[rRbBuU]{0,2}/, '');
      const quote = /^('''|"""|'|")/.exec(body)?.[1];
      return quote ? body.slice(quote.length, body.length - quote.length) : undefined;
    }
    case 'template_string':
      return text.includes('${') ? undefined : text.slice(1, -1);
    case 'string_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return text.startsWith('"""') ? text.slice(3, -3) : text.slice(1, -1);
    case 'parenthesized_expression':
      return stringValue(node.namedChildren()[0]);
    default:
      return undefined;
  }
}

/** Calls that read a setting and fall back to their last argument: `getProperty(k, "DES")`, `os.getenv("A", "md5")`. */
const CONFIG_READ = /(?:^|\.)(?:getProperty|getOrDefault|getString|getenv|get|getValue|environ\.get)$/;

function configDefault(node: SgNode, family: Family): SgNode | undefined {
  const kind = String(node.kind());
  if (family === 'js' && kind === 'binary_expression' && /^(?:\|\||\?\?)$/.test(node.field('operator')?.text() ?? '')) return node.field('right') ?? undefined;
  if (kind !== CALL_KIND[family]) return undefined;
  const callee = family === 'java' ? node.field('name')?.text() : node.field('function')?.text();
  if (!callee || !CONFIG_READ.test(callee)) return undefined;
  const args = positional(node);
  return args.length === 2 ? args[1] : undefined;
}

export function positional(call: SgNode): SgNode[] {
  const list = call.field('arguments');
  return list?.namedChildren().filter((n) => !/comment|keyword_argument/.test(String(n.kind()))) ?? [];
}

export function keywordArgument(call: SgNode, name: string): SgNode | undefined {
  const arg = call.field('arguments')?.namedChildren().find((n) => n.kind() === 'keyword_argument' && n.field('name')?.text() === name);
  return arg?.field('value') ?? undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The values a name is given in the file, when it is given exactly one (a local, a field, a
 * constant): `String alg = "DES"; Cipher.getInstance(alg)` reads "DES". Two assignments make
 * the name unknown; guessing between them would be wrong half the time.
 */
function singleDefinition(root: SgNode, name: string, family: Family): SgNode | undefined {
  const named = { regex: `^${name}$` };
  let defs: SgNode[];
  switch (family) {
    case 'java':
      defs = [
        ...root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'name', ...named } } }).map((d) => d.field('value')),
        ...root.findAll({ rule: { kind: 'assignment_expression', has: { field: 'left', ...named } } }).map((d) => d.field('right')),
      ].filter((n): n is SgNode => n !== null);
      break;
    case 'js':
      defs = [
        ...root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'name', ...named } } }).map((d) => d.field('value')),
        ...root.findAll({ rule: { kind: 'assignment_expression', has: { field: 'left', ...named } } }).map((d) => d.field('right')),
      ].filter((n): n is SgNode => n !== null);
      break;
    case 'python':
      defs = root.findAll({ rule: { kind: 'assignment', has: { field: 'left', ...named } } }).map((d) => d.field('right')).filter((n): n is SgNode => n !== null);
      break;
    case 'go':
      defs = [
        ...root.findAll({ rule: { any: [{ kind: 'const_spec' }, { kind: 'var_spec' }], has: { field: 'name', ...named } } }).map((d) => d.field('value')?.namedChildren()[0] ?? null),
        ...root.findAll({ rule: { kind: 'short_var_declaration', has: { field: 'left', regex: `^${name}$` } } }).map((d) => d.field('right')?.namedChildren()[0] ?? null),
      ].filter((n): n is SgNode => n !== null);
      break;
  }
  return defs.length === 1 ? defs[0] : undefined;
}

/**
 * A string an expression certainly or by default holds: a literal, a config read's literal
 * default, or a name defined once in the file as one of those.
 */
export function resolveString(node: SgNode | null | undefined, family: Family, root: SgNode, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined;
  const literal = stringValue(node);
  if (literal !== undefined) return literal;
  const fallback = configDefault(node, family);
  if (fallback) return resolveString(fallback, family, root, depth + 1);
  const text = node.text();
  if (IDENTIFIER.test(text) || /^this\.\w+$/.test(text)) {
    const definition = singleDefinition(root, text.replace(/^this\./, ''), family);
    return definition ? resolveString(definition, family, root, depth + 1) : undefined;
  }
  return undefined;
}

/** Go imports: local name → import path (`r "math/rand"` → r → math/rand; default: last segment). */
const goImportCache = new WeakMap<SgNode, Map<string, string>>();
const pythonImportCache = new WeakMap<SgNode, Map<string, string>>();

/** Several rule groups ask for the imports of one file: the walk runs once per root. */
export function goImports(root: SgNode): Map<string, string> {
  let imports = goImportCache.get(root);
  if (!imports) goImportCache.set(root, (imports = readGoImports(root)));
  return imports;
}

export function pythonImports(root: SgNode): Map<string, string> {
  let imports = pythonImportCache.get(root);
  if (!imports) pythonImportCache.set(root, (imports = readPythonImports(root)));
  return imports;
}

function readGoImports(root: SgNode): Map<string, string> {
  const imports = new Map<string, string>();
  for (const spec of root.findAll({ rule: { kind: 'import_spec' } })) {
    const path = stringValue(spec.field('path'));
    if (!path) continue;
    const alias = spec.field('name')?.text();
    const segments = path.split('/');
    const last = /^v\d+$/.test(segments.at(-1)!) && segments.length > 1 ? segments.at(-2)! : segments.at(-1)!;
    if (alias !== '_' && alias !== '.') imports.set(alias ?? last, path);
  }
  return imports;
}

/** Local names bound to a Go import path, as a regex alternation, or undefined when not imported. */
export function goAliases(imports: Map<string, string>, paths: readonly string[]): string | undefined {
  const names = [...imports].filter(([, path]) => paths.includes(path)).map(([name]) => name);
  return names.length ? names.join('|') : undefined;
}

/**
 * Python imports: local name → qualified name. `from hashlib import md5 as m` maps m →
 * hashlib.md5; `import xml.sax as sax` maps sax → xml.sax.
 */
function readPythonImports(root: SgNode): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    const moduleNode = statement.kind() === 'import_from_statement' ? statement.field('module_name') : null;
    const module = moduleNode?.text();
    const moduleStart = moduleNode?.range().start.index;
    for (const child of statement.namedChildren()) {
      if (child.range().start.index === moduleStart) continue;
      let name: string | undefined;
      let alias: string | undefined;
      if (child.kind() === 'aliased_import') {
        name = child.field('name')?.text();
        alias = child.field('alias')?.text();
      } else if (child.kind() === 'dotted_name') {
        name = child.text();
      }
      if (!name) continue;
      const qualified = module ? `${module}.${name}` : name;
      imports.set(alias ?? (module ? name : name.split('.')[0]!), alias || module ? qualified : name.split('.')[0]!);
    }
  }
  return imports;
}

/** A Python callee with its first segment expanded through the imports: `m` → `hashlib.md5`. */
export function qualifyPython(callee: string, imports: Map<string, string>): string {
  const [head, ...rest] = callee.split('.');
  const qualified = imports.get(head!);
  return qualified ? [qualified, ...rest].join('.') : callee;
}

/** Words of an identifier or key: `rememberMeKey` → remember, me, key; `SESSION_ID` → session, id. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_WORDS = new Set([
  'token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'pwd', 'passphrase', 'pass', 'nonce', 'salt', 'session', 'sessionid', 'sid',
  'cookie', 'apikey', 'otp', 'totp', 'csrf', 'xsrf', 'credential', 'credentials', 'remember', 'key', 'keys', 'iv', 'pin', 'captcha', 'jti',
]);
/** `key` in these company is a lookup key, not a secret. */
// `weight_key` (weighted sampling in more_itertools), `shard_key`, `group_key`: an ordering or
// placement key, which a random number is meant to fill.
const LOOKUP_WORDS = new Set([
  'cache', 'sort', 'map', 'react', 'row', 'item', 'list', 'lookup', 'hash', 'dict', 'primary', 'foreign', 'idempotency', 'partition', 'storage', 'redis',
  'weight', 'order', 'group', 'index', 'shard', 'bucket', 'sample', 'shuffle',
]);

/** Whether a name says its value must be unguessable: token, secret, password, nonce, salt, session, cookie, key… */
export function isSecurityName(name: string): boolean {
  const words = wordsOf(name);
  // A bare `key` is as often a map or React key as a secret; `apiKey`, `sessionKey`, `rememberMeKey` are secrets.
  if (words.length === 1 && (words[0] === 'key' || words[0] === 'keys')) return false;
  if (words.some((w) => LOOKUP_WORDS.has(w))) return words.some((w) => w !== 'key' && w !== 'keys' && SECRET_WORDS.has(w));
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (words.join(' ').includes('one time')) return true; // one_time_code, oneTimePassword
  // `resetCode`, `verificationCode`, `activationLink`: one-time codes mailed to users.
  return words.some((w) => /^(?:reset|verification|verify|activation|confirm|invite|auth|otp|mfa|sms|login|signup)$/.test(w)) && words.some((w) => /^(?:code|link|url|id|value|hash|string)$/.test(w));
}

export function enclosing(node: SgNode, kinds: readonly string[]): SgNode | undefined {
  for (let current = node.parent(); current; current = current.parent()) {
    if (kinds.includes(String(current.kind()))) return current;
  }
  return undefined;
}
