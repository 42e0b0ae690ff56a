import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';
import { enclosing, FUNCTION_KINDS, goAliases, goImports, isSecurityName, positional, pythonImports, qualifyPython, stringValue, type Family } from './rule-support.ts';

/**
 * Predictable random numbers (CWE-330) where the value must be unguessable. A non-cryptographic
 * generator is fine for shuffling, jitter and sampling, so a call is reported only when its
 * result reaches, in the same function, a security-named variable/field/key (token, secret,
 * password, nonce, salt, session, cookie, key…), a cookie or header, or the return value of a
 * function with such a name. The result is followed through up to three local variables.
 */

const RULE = 'nyx/crypto/predictable-random';
const MAX_HOPS = 3;

/** Kinds that end the walk up from an expression: statements and declarations. */
const BOUNDARY = /^(?:expression_statement|block|statement_block|program|module|source_file|class_body|if_statement|for_statement|while_statement|for_in_statement|enhanced_for_statement|statement_list)$/;

const COOKIE_OR_HEADER_CALL = /(?:^|\.)(?:Cookie|addCookie|setValue|setHeader|addHeader|cookie|set_cookie|setCookie|SetCookie|setAttribute|putValue)$/;
const SESSION_RECEIVER = /(?:^|\.)(?:session|getSession\(\w*\)|cookies|headers|Header\(\))$/i;

interface Context {
  family: Family;
  fn: SgNode | undefined;
}

function functionName(fn: SgNode | undefined): string {
  if (!fn) return '';
  const own = fn.field('name')?.text();
  if (own) return own;
  const parent = fn.parent();
  if (parent?.kind() === 'variable_declarator' || parent?.kind() === 'pair') return (parent.field('name') ?? parent.field('key'))?.text() ?? '';
  return '';
}

function calleeOf(call: SgNode, family: Family): string {
  if (family === 'java') {
    if (call.kind() === 'object_creation_expression') return call.field('type')?.text() ?? '';
    const object = call.field('object')?.text();
    return `${object ? `${object}.` : ''}${call.field('name')?.text() ?? ''}`;
  }
  return (call.field('function') ?? call.field('constructor'))?.text() ?? '';
}

/** Why the value at `node` must be unguessable, or undefined. Follows assignments to locals. */
function securityUse(node: SgNode, context: Context, hops: number, seen: Set<string>): string | undefined {
  let child = node;
  for (let current = node.parent(); current; child = current, current = current.parent()) {
    const kind = String(current.kind());
    if (FUNCTION_KINDS[context.family].includes(kind) || BOUNDARY.test(kind)) return undefined;
    switch (kind) {
      case 'return_statement': {
        const name = functionName(context.fn);
        return isSecurityName(name) ? `returned from ${name}()` : undefined;
      }
      case 'pair':
      case 'keyed_element':
      case 'keyword_argument': {
        const key = (current.field('key') ?? current.field('name') ?? current.namedChildren()[0])?.text() ?? '';
        if (isSecurityName(key.replace(/['"]/g, ''))) return `stored as ${key}`;
        break;
      }
      case 'arguments':
      case 'argument_list': {
        const call = current.parent();
        if (!call) break;
        const callee = calleeOf(call, context.family);
        const literalNames = positional(call).map((arg) => stringValue(arg)).filter((v): v is string => v !== undefined);
        if (COOKIE_OR_HEADER_CALL.test(callee)) return `passed to ${callee.split('.').at(-1)}`;
        if (SESSION_RECEIVER.test(callee.replace(/\.\w+$/, '')) && /\.(?:set|put|setAttribute|__setitem__)$/.test(callee)) return `stored in the session`;
        if (literalNames.some((name) => isSecurityName(name)) && /(?:^|\.)(?:set|put|setAttribute|setItem|add|append)$/.test(callee)) return `stored under "${literalNames.find((n) => isSecurityName(n))}"`;
        if (isSecurityName(callee.split('.').at(-1)!) && /^(?:set|with|add|put)/i.test(callee.split('.').at(-1)!)) return `passed to ${callee.split('.').at(-1)}`;
        break;
      }
      case 'variable_declarator':
      case 'assignment_expression':
      case 'assignment':
      case 'augmented_assignment':
      case 'short_var_declaration':
      case 'assignment_statement':
      case 'var_spec': {
        const target = (current.field('name') ?? current.field('left'))?.text() ?? '';
        if (target === child.text()) return undefined; // the value is the target, not assigned to it
        if (isSecurityName(target)) return `assigned to ${target}`;
        const local = /^(?:this\.|self\.)?([\w$]+)$/.exec(target.trim())?.[1];
        if (!local || hops >= MAX_HOPS || seen.has(local)) return undefined;
        seen.add(local);
        return usesOf(local, current, context, hops + 1, seen);
      }
    }
  }
  return undefined;
}

/** Where a local holding the random value is read next, in the same function. */
function usesOf(name: string, definition: SgNode, context: Context, hops: number, seen: Set<string>): string | undefined {
  const scope = context.fn ?? definition.getRoot().root();
  const after = definition.range().end.index;
  for (const use of scope.findAll({ rule: { kind: 'identifier', regex: `^${name.replace(/\$/g, '\\$')}$` } })) {
    if (use.range().start.index < after) continue;
    const why = securityUse(use, context, hops, seen);
    if (why) return why;
  }
  return undefined;
}

function report(calls: SgNode[], family: Family, describe: (call: SgNode) => string, target: (call: SgNode) => SgNode = (call) => call): RawFinding[] {
  return calls.flatMap((call) => {
    const context: Context = { family, fn: enclosing(call, FUNCTION_KINDS[family]) };
    const start = target(call);
    const why = start === call ? securityUse(call, context, 0, new Set()) : usesOf(start.text(), call, context, 1, new Set());
    return why ? [findingAt(call, RULE, `${describe(call)} is predictable, and its value is ${why}; use a cryptographically secure generator.`)] : [];
  });
}

function java(root: SgNode, text: string): RawFinding[] {
  if (!/Random|Math\.random/.test(text)) return [];
  // Variables and fields declared as java.util.Random (not SecureRandom).
  const generators = new Set<string>();
  for (const declaration of root.findAll({ rule: { any: [{ kind: 'local_variable_declaration' }, { kind: 'field_declaration' }], has: { field: 'type', regex: '^(?:java\\.util\\.)?(?:Random|SplittableRandom)$' } } })) {
    for (const declarator of declaration.findAll({ rule: { kind: 'variable_declarator' } })) {
      if (!/SecureRandom/.test(declarator.field('value')?.text() ?? '')) generators.add(declarator.field('name')!.text());
    }
  }
  // `var r = new Random()` and fields typed by an interface: the initializer says what it is.
  for (const declarator of root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'value', regex: '^new\\s+(?:java\\.util\\.)?(?:Random|SplittableRandom)\\(' } } })) {
    generators.add(declarator.field('name')!.text());
  }
  const receivers = [...generators].map((name) => name.replace(/\$/g, '\\$'));
  const owner = `^(?:new (?:java\\.util\\.)?(?:Random|SplittableRandom)\\([^)]*\\)|(?:java\\.util\\.concurrent\\.)?ThreadLocalRandom\\.current\\(\\)${receivers.length ? `|(?:this\\.)?(?:${receivers.join('|')})` : ''})$`;
  const calls = root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:next\\w*|ints|longs|doubles)$' } } }).filter((call) => new RegExp(owner).test(call.field('object')?.text() ?? ''));
  const mathRandom = root.findAll({ rule: { kind: 'method_invocation', all: [{ has: { field: 'name', regex: '^random$' } }, { has: { field: 'object', regex: '^(?:java\\.lang\\.)?Math$' } }] } });
  const stringUtils = root.findAll({ rule: { kind: 'method_invocation', all: [{ has: { field: 'name', regex: '^random\\w*$' } }, { has: { field: 'object', regex: '(?:^|\\.)RandomStringUtils$' } }] } });
  // nextBytes(buffer) fills its argument: follow the buffer, not the call's (void) result.
  const [fills, values] = [calls.filter((c) => c.field('name')!.text() === 'nextBytes'), calls.filter((c) => c.field('name')!.text() !== 'nextBytes')];
  return [
    ...report([...values, ...mathRandom, ...stringUtils], 'java', (call) => call.text().replace(/\s+/g, ' ').replace(/\(([^()]*)\)$/, '()').slice(0, 80)),
    ...report(fills.filter((c) => positional(c)[0]?.kind() === 'identifier'), 'java', () => 'java.util.Random.nextBytes', (call) => positional(call)[0]!),
  ];
}

function js(root: SgNode, text: string): RawFinding[] {
  if (!text.includes('Math.random')) return [];
  return report(callsTo(root, 'call_expression', '^(?:window\\.|globalThis\\.)?Math\\.random$'), 'js', () => 'Math.random()');
}

const PY_RANDOM = /^(?:random|numpy\.random|np\.random)\.(?:random|randint|randrange|choice|choices|sample|getrandbits|uniform|randbytes|rand|bytes)$/;

function python(root: SgNode, text: string): RawFinding[] {
  if (!/\brandom\.|from random import|import random as|numpy/.test(text)) return [];
  const imports = pythonImports(root);
  const calls = root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '(?:random|randint|randrange|choice|choices|sample|getrandbits|uniform|randbytes|rand|bytes)$' } } }).filter((call) => PY_RANDOM.test(qualifyPython(call.field('function')!.text(), imports)));
  return report(calls, 'python', (call) => `${call.field('function')!.text()}()`);
}

function go(root: SgNode, text: string): RawFinding[] {
  if (!text.includes('math/rand')) return [];
  const alias = goAliases(goImports(root), ['math/rand', 'math/rand/v2']);
  if (!alias) return [];
  // Generators made from the package: `r := rand.New(rand.NewSource(seed))`.
  const generators = root
    .findAll({ rule: { kind: 'short_var_declaration', has: { field: 'right', regex: `^(?:${alias})\\.New\\(` } } })
    .map((declaration) => declaration.field('left')!.text())
    .filter((name) => /^\w+$/.test(name));
  const receivers = [alias, ...generators].join('|');
  const calls = callsTo(root, 'call_expression', `^(?:${receivers})\\.(?:Int\\w*|Uint\\w*|Float\\w*|Perm|Read|N)$`);
  const reads = calls.filter((call) => call.field('function')!.text().endsWith('.Read') && positional(call)[0]?.kind() === 'identifier');
  return [
    ...report(calls.filter((call) => !call.field('function')!.text().endsWith('.Read')), 'go', (call) => `${call.field('function')!.text()} (math/rand)`),
    ...report(reads, 'go', () => 'math/rand.Read', (call) => positional(call)[0]!),
  ];
}

export const randomRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go };
