import type { Expr, Literal } from './ir.ts';
import type { SinkKind } from './models.ts';

/**
 * What a branch condition tells about a variable inside the branch: an allow-list membership or an
 * anchored regex match makes it clean, a path prefix check clears it for path traversal only, an
 * equality with a literal makes it that literal.
 */
export interface Refinement {
  name: string;
  effect: 'clean' | 'clears' | 'const';
  clears?: SinkKind[];
  value?: Literal;
}

const MEMBERSHIP = new Set(['includes', 'has', 'contains', 'containsKey', '__contains__', 'hasOwnProperty', 'Contains']);
const PREFIX = new Set(['startsWith', 'startswith', 'HasPrefix', 'is_relative_to']);
/** Parts of a parsed URL that name where it goes: checking them against an allow-list pins the URL. */
const HOST_KEYS = new Set(['host', 'hostname', 'netloc', 'Host', 'Hostname', 'origin', 'getHost', 'authority']);

/** `parsed.hostname` (or Go `u.Host`, Java `uri.getHost()`): the variable holding the parsed URL. */
function hostOf(e: Expr | undefined): string | undefined {
  if (e?.k === 'get' && e.key !== null && HOST_KEYS.has(e.key)) return varName(e.obj);
  if (e?.k === 'call' && HOST_KEYS.has(e.name) && !e.args.length) return varName(e.receiver);
  return undefined;
}

const PINNED: SinkKind[] = ['ssrf', 'redirect'];
const VALIDATORS = new Set(['isdigit', 'isnumeric', 'isdecimal', 'isalnum', 'isalpha', 'isInteger', 'isSafeInteger', 'isUUID', 'isNumeric', 'isAlphanumeric']);

function varName(e: Expr | undefined): string | undefined {
  return e?.k === 'var' ? e.name : undefined;
}

function anchoredPattern(e: Expr | undefined): boolean {
  if (e?.k !== 'lit' || typeof e.value !== 'string') return false;
  const text = e.value;
  return /^\/?\^/.test(text) && /\$\/?[a-z]*$/.test(text) || /\\A/.test(text) || /\\[zZ]$/.test(text);
}

/** Refinements a call to a validator function of the same file gives (`isLocalPath(next)`), if any. */
export type CallRefiner = (call: Extract<Expr, { k: 'call' }>) => Refinement[] | undefined;

/** `x.startsWith('/')` and not `x.startsWith('//')` in one && chain: a same-site path, no open redirect. */
function localPath(test: Expr): Refinement[] {
  const parts: Expr[] = [];
  const flatten = (e: Expr): void => {
    if (e.k === 'bin' && (e.op === '&&' || e.op === 'and')) {
      flatten(e.left);
      flatten(e.right);
    } else parts.push(e);
  };
  flatten(test);
  const prefixCheck = (e: Expr, prefix: string) => e.k === 'call' && PREFIX.has(e.name) && e.args[0]?.k === 'lit' && e.args[0].value === prefix ? varName(e.receiver) : undefined;
  for (const part of parts) {
    const name = prefixCheck(part, '/');
    if (name && parts.some((other) => (other.k === 'unary' && (other.op === '!' || other.op === 'not') && prefixCheck(other.arg, '//') === name))) {
      return [{ name, effect: 'clears', clears: PINNED }];
    }
  }
  return [];
}

export function refine(test: Expr, byCall?: CallRefiner): { whenTrue: Refinement[]; whenFalse: Refinement[] } {
  const none = { whenTrue: [], whenFalse: [] };
  const refine_ = (e: Expr) => refine(e, byCall);
  switch (test.k) {
    case 'unary':
      // `not parsed.netloc`: no host, so a relative URL that stays on this site
      if ((test.op === '!' || test.op === 'not') && hostOf(test.arg)) return { whenTrue: [{ name: hostOf(test.arg)!, effect: 'clears', clears: PINNED }], whenFalse: [] };
      if (test.op === '!' || test.op === 'not') {
        const inner = refine_(test.arg);
        return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
      }
      return none;
    case 'bin': {
      const op = test.op;
      if (op === '&&' || op === 'and') {
        const l = refine_(test.left);
        const r = refine_(test.right);
        return { whenTrue: [...l.whenTrue, ...r.whenTrue, ...localPath(test)], whenFalse: [] };
      }
      if (op === '||' || op === 'or') {
        const l = refine_(test.left);
        const r = refine_(test.right);
        return { whenTrue: [], whenFalse: [...l.whenFalse, ...r.whenFalse] };
      }
      if ((op === 'in' || op === 'not in') && hostOf(test.left)) {
        const pinned: Refinement[] = [{ name: hostOf(test.left)!, effect: 'clears', clears: PINNED }];
        return op === 'in' ? { whenTrue: pinned, whenFalse: [] } : { whenTrue: [], whenFalse: pinned };
      }
      if (op === 'in' || op === 'not in') {
        const name = varName(test.left);
        if (!name || test.right.k === 'var' && test.right.name === name) return none;
        const clean: Refinement[] = [{ name, effect: 'clean' }];
        return op === 'in' ? { whenTrue: clean, whenFalse: [] } : { whenTrue: [], whenFalse: clean };
      }
      if ((op === '==' || op === '===' || op === '!=' || op === '!==') && (hostOf(test.left) || hostOf(test.right))) {
        const pinned: Refinement[] = [{ name: (hostOf(test.left) ?? hostOf(test.right))!, effect: 'clears', clears: PINNED }];
        return op.startsWith('=') ? { whenTrue: pinned, whenFalse: [] } : { whenTrue: [], whenFalse: pinned };
      }
      if (op === '==' || op === '===' || op === '!=' || op === '!==') {
        const [name, lit] = test.left.k === 'lit' ? [varName(test.right), test.left] : [varName(test.left), test.right];
        if (!name || lit.k !== 'lit') return none;
        const fixed: Refinement[] = [{ name, effect: 'const', value: lit.value }];
        return op.startsWith('=') ? { whenTrue: fixed, whenFalse: [] } : { whenTrue: [], whenFalse: fixed };
      }
      return none;
    }
    case 'call': {
      const validated = byCall?.(test);
      if (validated?.length) return { whenTrue: validated, whenFalse: [] };
      const receiverName = varName(test.receiver);
      const firstArg = varName(test.args[0]);
      // ALLOWED_HOSTS.has(parsed.hostname), allowed.contains(uri.getHost())
      if (MEMBERSHIP.has(test.name) && hostOf(test.args[0])) return { whenTrue: [{ name: hostOf(test.args[0])!, effect: 'clears', clears: PINNED }], whenFalse: [] };
      if (test.name === 'Contains' && receiverName === 'slices' && hostOf(test.args[1])) return { whenTrue: [{ name: hostOf(test.args[1])!, effect: 'clears', clears: PINNED }], whenFalse: [] };
      // Go: slices.Contains(allowed, x)
      if (test.name === 'Contains' && receiverName === 'slices' && varName(test.args[1])) return { whenTrue: [{ name: varName(test.args[1])!, effect: 'clean' }], whenFalse: [] };
      if (MEMBERSHIP.has(test.name) && firstArg && receiverName !== firstArg && test.receiver && receiverName !== 'strings' && receiverName !== 'bytes') {
        return { whenTrue: [{ name: firstArg, effect: 'clean' }], whenFalse: [] };
      }
      if (PREFIX.has(test.name)) {
        const checked = test.name === 'HasPrefix' ? firstArg : receiverName;
        return checked ? { whenTrue: [{ name: checked, effect: 'clears', clears: ['path'] }], whenFalse: [] } : none;
      }
      if (test.name === 'equals' || test.name === 'equalsIgnoreCase') {
        if (receiverName && test.args[0]?.k === 'lit') return { whenTrue: [{ name: receiverName, effect: 'const', value: test.args[0].value }], whenFalse: [] };
        if (firstArg && test.receiver?.k === 'lit') return { whenTrue: [{ name: firstArg, effect: 'const', value: test.receiver.value }], whenFalse: [] };
        return none;
      }
      if (VALIDATORS.has(test.name)) {
        const checked = receiverName && !test.args.length ? receiverName : firstArg;
        return checked ? { whenTrue: [{ name: checked, effect: 'clean' }], whenFalse: [] } : none;
      }
      // an anchored regex: /^[a-z]+$/.test(x), re.fullmatch(p, x), x.matches("^...$"), MatchString(x)
      if (test.name === 'test' && anchoredPattern(test.receiver) && firstArg) return { whenTrue: [{ name: firstArg, effect: 'clean' }], whenFalse: [] };
      if (test.name === 'fullmatch' && varName(test.args[1])) return { whenTrue: [{ name: varName(test.args[1])!, effect: 'clean' }], whenFalse: [] };
      if (test.name === 'match' && anchoredPattern(test.args[0]) && varName(test.args[1])) return { whenTrue: [{ name: varName(test.args[1])!, effect: 'clean' }], whenFalse: [] };
      if (test.name === 'matches' && receiverName && test.args[0]?.k === 'lit') return { whenTrue: [{ name: receiverName, effect: 'clean' }], whenFalse: [] };
      if (test.name === 'MatchString' && test.args.length === 1 && firstArg) return { whenTrue: [{ name: firstArg, effect: 'clean' }], whenFalse: [] };
      return none;
    }
    case 'get':
      // Go: `if allowed[x]` / `!allowedHosts[u.Hostname()]` reads an allow-list map
      if (test.key === null && test.keyExpr && varName(test.obj)) {
        if (hostOf(test.keyExpr)) return { whenTrue: [{ name: hostOf(test.keyExpr)!, effect: 'clears', clears: PINNED }], whenFalse: [] };
        if (varName(test.keyExpr)) return { whenTrue: [{ name: varName(test.keyExpr)!, effect: 'clean' }], whenFalse: [] };
      }
      return none;
    default:
      return none;
  }
}
