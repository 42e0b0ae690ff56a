import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, rangeOfNode, type RawFinding } from './raw-finding.ts';
import { enclosing, goAliases, goImports, keywordArgument, positional, pythonImports, qualifyPython, stringValue, type Family } from './rule-support.ts';

/**
 * Web framework configuration that needs no data flow: cookies without Secure (CWE-614) or
 * HttpOnly (CWE-1004), hard-coded session/JWT secrets (CWE-798), CSRF protection turned off
 * (CWE-352) and template auto-escaping turned off (CWE-79).
 */

const NO_SECURE = 'nyx/web/cookie-without-secure';
const NO_HTTPONLY = 'nyx/web/cookie-without-httponly';
const SESSION_SECRET = 'nyx/web/hardcoded-session-secret';
const CSRF = 'nyx/web/csrf-disabled';
const AUTOESCAPE = 'nyx/web/autoescape-disabled';

const secureMessage = (what: string) => `${what} is sent without the Secure flag, so it also travels over plain HTTP; set secure to true.`;
const httpOnlyMessage = (what: string) => `${what} is readable from JavaScript (no HttpOnly flag), so an XSS can steal it; set httpOnly to true.`;

/** A literal secret worth reporting: not empty, not a `${VAR}` placeholder. */
function isLiteralSecret(node: SgNode | null | undefined): boolean {
  const value = stringValue(node);
  return value !== undefined && value.trim().length > 0 && !/^\$\{\w+\}$/.test(value);
}

function java(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (text.includes('Cookie')) {
    for (const creation of root.findAll({ rule: { kind: 'object_creation_expression', has: { field: 'type', regex: '^(?:(?:javax|jakarta)\\.servlet\\.http\\.)?Cookie$' } } })) {
      const declarator = creation.parent();
      if (declarator?.kind() !== 'variable_declarator' && declarator?.kind() !== 'assignment_expression') continue;
      const name = (declarator.field('name') ?? declarator.field('left'))!.text();
      const scope = enclosing(creation, ['method_declaration', 'constructor_declaration']) ?? root;
      const body = scope.text();
      const escaped = name.replace(/\$/g, '\\$');
      // Only cookies this method sends: one handed back to a caller may be finished there.
      if (!new RegExp(`addCookie\\(\\s*${escaped}\\s*\\)`).test(body)) continue;
      const setTo = (setter: string) => new RegExp(`\\b${escaped}\\.${setter}\\(\\s*([^)]*?)\\s*\\)`).exec(body)?.[1];
      const secure = setTo('setSecure');
      const httpOnly = setTo('setHttpOnly');
      if (secure === undefined || secure === 'false') findings.push(findingAt(creation, NO_SECURE, secureMessage(`Cookie ${name}`)));
      if (httpOnly === undefined || httpOnly === 'false') findings.push(findingAt(creation, NO_HTTPONLY, httpOnlyMessage(`Cookie ${name}`)));
    }
    // Spring's ResponseCookie builder: the flags default to off.
    for (const build of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^build$' }, regex: '^ResponseCookie\\.(?:from|fromClientResponse)\\(' } })) {
      if (!/\.secure\(\s*(?!false)[^)]+\)/.test(build.text())) findings.push(findingAt(build, NO_SECURE, secureMessage('ResponseCookie')));
      if (!/\.httpOnly\(\s*(?!false)[^)]+\)/.test(build.text())) findings.push(findingAt(build, NO_HTTPONLY, httpOnlyMessage('ResponseCookie')));
    }
  }
  if (text.includes('csrf')) {
    for (const call of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:disable|csrf)$' } } })) {
      const name = call.field('name')!.text();
      const disabled =
        name === 'disable' ? /(?:^|\.)csrf\(\)$/.test(call.field('object')?.text() ?? '') : /^(?:\w+::disable|\(?\s*\w+\s*\)?\s*->\s*\w+\s*\.\s*disable\(\)\s*)$/.test(positional(call)[0]?.text() ?? '');
      if (disabled) findings.push(findingAt(call, CSRF, 'CSRF protection is disabled: any site the user visits can submit requests with their session. Keep it on for browser-facing endpoints.'));
    }
  }
  if (/signWith|setSigningKey|HMAC\d/.test(text)) {
    for (const call of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:signWith|setSigningKey|HMAC256|HMAC384|HMAC512)$' } } })) {
      const literal = positional(call).find((arg) => isLiteralSecret(arg) || (arg.kind() === 'method_invocation' && /^"[^"]+"\.getBytes\(/.test(arg.text())));
      if (literal) findings.push(findingAt(call, SESSION_SECRET, 'The token signing key is written in the code: anyone who reads it can forge tokens. Load it from the environment or a secret store.'));
    }
  }
  return findings;
}

function objectArgument(call: SgNode, index: number): SgNode | undefined {
  const arg = positional(call)[index];
  return arg?.kind() === 'object' ? arg : undefined;
}

function pairValue(object: SgNode | undefined, key: string): SgNode | undefined {
  if (!object) return undefined;
  const pair = object.namedChildren().find((p) => p.kind() === 'pair' && p.field('key')?.text().replace(/['"]/g, '') === key);
  return pair?.field('value') ?? undefined;
}

const SESSION_MIDDLEWARE = /['"](?:express-session|cookie-session|koa-session|@fastify\/session|@fastify\/secure-session)['"]/;

function js(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (/\.cookie\(|cookies\.set\(/.test(text)) {
    for (const call of callsTo(root, 'call_expression', '^(?:res|resp|response|reply|ctx\\.response|ctx\\.cookies|ctx\\.res|this\\.cookies)\\.(?:cookie|set|setCookie)$')) {
      const callee = call.field('function')!.text();
      if (callee.endsWith('.set') && !callee.includes('cookies')) continue;
      const args = positional(call);
      if (args.length < 2) continue; // res.cookie(name) reads nothing we can judge
      const options = objectArgument(call, 2);
      if (args[2] && !options) continue; // options built elsewhere
      // Koa's cookies default httpOnly on and secure to the connection: only explicit false counts.
      const explicitOnly = callee.includes('cookies');
      const secure = pairValue(options, 'secure');
      const httpOnly = pairValue(options, 'httpOnly');
      const what = `Cookie ${args[0]!.text()}`;
      if (secure?.text() === 'false' || (!explicitOnly && !secure)) findings.push(findingAt(call, NO_SECURE, secureMessage(what)));
      if (httpOnly?.text() === 'false' || (!explicitOnly && !httpOnly)) findings.push(findingAt(call, NO_HTTPONLY, httpOnlyMessage(what)));
    }
  }
  if (SESSION_MIDDLEWARE.test(text) || /\b(?:session|cookieSession)\(\s*\{/.test(text)) {
    for (const call of callsTo(root, 'call_expression', '^(?:session|expressSession|cookieSession|koaSession|\\w*[sS]ession)$')) {
      const options = objectArgument(call, 0) ?? objectArgument(call, 1);
      if (!options) continue;
      const cookie = pairValue(options, 'cookie');
      const settings = cookie?.kind() === 'object' ? cookie : options;
      if (pairValue(settings, 'secure')?.text() === 'false') findings.push(findingAt(call, NO_SECURE, secureMessage('The session cookie')));
      if (pairValue(settings, 'httpOnly')?.text() === 'false') findings.push(findingAt(call, NO_HTTPONLY, httpOnlyMessage('The session cookie')));
      const secret = pairValue(options, 'secret');
      const keys = pairValue(options, 'keys');
      const literalKeys = keys?.kind() === 'array' && keys.namedChildren().some((k) => isLiteralSecret(k));
      if (isLiteralSecret(secret) || (secret?.kind() === 'array' && secret.namedChildren().some((k) => isLiteralSecret(k))) || literalKeys) {
        findings.push(findingAt(secret ?? keys!, SESSION_SECRET, 'The session secret is written in the code: anyone who reads it can forge session cookies. Load it from the environment.'));
      }
    }
  }
  if (/jwt|jsonwebtoken|cookieParser|app\.keys/i.test(text)) {
    for (const call of callsTo(root, 'call_expression', '^(?:jwt|jsonwebtoken|JWT|jose)\\.(?:sign|verify)$|^cookieParser$')) {
      const secret = positional(call)[call.field('function')!.text() === 'cookieParser' ? 0 : 1];
      if (isLiteralSecret(secret)) findings.push(findingAt(secret!, SESSION_SECRET, 'The signing secret is written in the code: anyone who reads it can forge tokens or cookies. Load it from the environment.'));
    }
    for (const assignment of root.findAll({ rule: { kind: 'assignment_expression', has: { field: 'left', regex: '^\\w+\\.keys$' } } })) {
      const value = assignment.field('right');
      if (value?.kind() === 'array' && value.namedChildren().some((k) => isLiteralSecret(k))) findings.push(findingAt(value, SESSION_SECRET, 'The cookie signing keys are written in the code. Load them from the environment.'));
    }
  }
  if (/noEscape|autoescape/.test(text)) {
    for (const pair of root.findAll({ rule: { kind: 'pair', has: { field: 'key', regex: `^["']?(?:noEscape|autoescape)["']?$` } } })) {
      const key = pair.field('key')!.text().replace(/['"]/g, '');
      const value = pair.field('value')?.text();
      if ((key === 'noEscape' && value === 'true') || (key === 'autoescape' && value === 'false')) {
        findings.push(findingAt(pair, AUTOESCAPE, 'Template auto-escaping is off: every interpolated value can inject HTML and script. Keep escaping on and mark vetted HTML explicitly.'));
      }
    }
  }
  if (/csrf\s*:\s*false/.test(text)) {
    for (const call of callsTo(root, 'call_expression', '^(?:lusca|helmet)$')) {
      const csrf = pairValue(objectArgument(call, 0), 'csrf');
      if (csrf?.text() === 'false') findings.push(findingAt(csrf.parent()!, CSRF, 'CSRF protection is turned off.'));
    }
  }
  return findings;
}

/** Flask/Django settings that weaken cookies or CSRF, whether assigned, set in app.config or passed to config.update. */
const PY_SETTINGS: Readonly<Record<string, { rule: string; unsafe: 'False' | 'literal'; message: string }>> = {
  SESSION_COOKIE_SECURE: { rule: NO_SECURE, unsafe: 'False', message: secureMessage('The session cookie') },
  CSRF_COOKIE_SECURE: { rule: NO_SECURE, unsafe: 'False', message: secureMessage('The CSRF cookie') },
  REMEMBER_COOKIE_SECURE: { rule: NO_SECURE, unsafe: 'False', message: secureMessage('The remember-me cookie') },
  SESSION_COOKIE_HTTPONLY: { rule: NO_HTTPONLY, unsafe: 'False', message: httpOnlyMessage('The session cookie') },
  REMEMBER_COOKIE_HTTPONLY: { rule: NO_HTTPONLY, unsafe: 'False', message: httpOnlyMessage('The remember-me cookie') },
  WTF_CSRF_ENABLED: { rule: CSRF, unsafe: 'False', message: 'Flask-WTF CSRF protection is disabled.' },
  WTF_CSRF_CHECK_DEFAULT: { rule: CSRF, unsafe: 'False', message: 'Flask-WTF no longer checks CSRF tokens by default.' },
  SECRET_KEY: { rule: SESSION_SECRET, unsafe: 'literal', message: 'SECRET_KEY is written in the code: anyone who reads it can forge sessions and signed data. Load it from the environment.' },
  JWT_SECRET_KEY: { rule: SESSION_SECRET, unsafe: 'literal', message: 'JWT_SECRET_KEY is written in the code: anyone who reads it can forge tokens. Load it from the environment.' },
};
const PY_SETTING_NAME = new RegExp(`^(?:${Object.keys(PY_SETTINGS).join('|')})$`);

function settingFinding(nameNode: SgNode, name: string, value: SgNode | null | undefined): RawFinding[] {
  const setting = PY_SETTINGS[name];
  if (!setting || !value) return [];
  const unsafe = setting.unsafe === 'False' ? value.text() === 'False' : isLiteralSecret(value);
  return unsafe ? [{ ...findingAt(value, setting.rule, setting.message), range: { ...rangeOfNode(nameNode), endLine: rangeOfNode(value).endLine, endColumn: rangeOfNode(value).endColumn } }] : [];
}

function python(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (/COOKIE|CSRF|SECRET_KEY|secret_key/.test(text)) {
    const names = `${Object.keys(PY_SETTINGS).join('|')}|secret_key`;
    for (const assignment of root.findAll({ rule: { kind: 'assignment', has: { field: 'left', regex: names } } })) {
      const left = assignment.field('left');
      if (!left) continue;
      const key = left.kind() === 'subscript' ? stringValue(left.field('subscript')) : left.text().split('.').at(-1);
      if (key && PY_SETTING_NAME.test(key)) findings.push(...settingFinding(assignment, key, assignment.field('right')));
      if (key === 'secret_key' && isLiteralSecret(assignment.field('right'))) findings.push(findingAt(assignment, SESSION_SECRET, 'app.secret_key is written in the code: anyone who reads it can forge session cookies. Load it from the environment.'));
    }
    for (const arg of root.findAll({ rule: { kind: 'keyword_argument', has: { field: 'name', regex: PY_SETTING_NAME.source } } })) {
      findings.push(...settingFinding(arg, arg.field('name')!.text(), arg.field('value')));
    }
    for (const pair of root.findAll({ rule: { kind: 'pair', has: { field: 'key', kind: 'string', regex: names } } })) {
      const key = stringValue(pair.field('key'));
      if (key && PY_SETTING_NAME.test(key)) findings.push(...settingFinding(pair, key, pair.field('value')));
    }
  }
  if (/set_cookie/.test(text)) {
    for (const call of callsTo(root, 'call', '\\.set_cookie$')) {
      const what = `Cookie ${positional(call)[0]?.text() ?? ''}`.trim();
      if (call.field('arguments')?.namedChildren().some((arg) => arg.kind() === 'dictionary_splat')) continue;
      // CookieJar.set_cookie(cookie) takes a finished Cookie object: only (key, value, ...) calls set flags.
      if (positional(call).length < 2 && !keywordArgument(call, 'value')) continue;
      // Django/Flask defaults: secure=False, httponly=False.
      if (keywordArgument(call, 'secure')?.text() === 'False' || (!keywordArgument(call, 'secure') && positional(call).length < 7)) findings.push(findingAt(call, NO_SECURE, secureMessage(what)));
      if (keywordArgument(call, 'httponly')?.text() === 'False' || (!keywordArgument(call, 'httponly') && positional(call).length < 8)) findings.push(findingAt(call, NO_HTTPONLY, httpOnlyMessage(what)));
    }
  }
  if (/csrf_exempt|csrf\.exempt/.test(text)) {
    for (const decorator of root.findAll({ rule: { kind: 'decorator', regex: '^@\\s*(?:[\\w.]+\\.)?(?:csrf_exempt|exempt)\\b' } })) {
      if (/csrf/.test(decorator.text())) findings.push(findingAt(decorator, CSRF, 'This view is exempt from CSRF protection: any site the user visits can submit it with their session.'));
    }
  }
  if (/jwt/.test(text)) {
    for (const call of callsTo(root, 'call', '^jwt\\.(?:encode|decode)$')) {
      const key = positional(call)[1] ?? keywordArgument(call, 'key');
      if (isLiteralSecret(key)) findings.push(findingAt(key!, SESSION_SECRET, 'The JWT key is written in the code: anyone who reads it can forge tokens. Load it from the environment.'));
    }
  }
  if (/Environment|autoescape/.test(text)) {
    const imports = pythonImports(root);
    for (const call of callsTo(root, 'call', '(?:^|\\.)Environment$')) {
      if (!/^jinja2\.(?:sandbox\.)?\w*Environment$/.test(qualifyPython(call.field('function')!.text(), imports))) continue;
      const autoescape = keywordArgument(call, 'autoescape');
      // Jinja2's default is autoescape=False: leaving it out is the same as turning it off.
      if (!autoescape || autoescape.text() === 'False') findings.push(findingAt(call, AUTOESCAPE, 'Jinja2 Environment without autoescape: rendered values can inject HTML and script. Pass autoescape=select_autoescape().'));
    }
    for (const pair of root.findAll({ rule: { kind: 'pair', has: { field: 'key', regex: `^["']autoescape["']$` } } })) {
      if (pair.field('value')?.text() === 'False') findings.push(findingAt(pair, AUTOESCAPE, 'Django template auto-escaping is off: every variable can inject HTML and script.'));
    }
  }
  return findings;
}

function go(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (text.includes('Cookie{')) {
    for (const literal of root.findAll({ rule: { kind: 'composite_literal', has: { field: 'type', regex: '^http\\.Cookie$' } } })) {
      const body = literal.field('body')?.text() ?? '';
      const scope = enclosing(literal, ['function_declaration', 'method_declaration', 'func_literal'])?.text() ?? '';
      const setLater = (field: string) => new RegExp(`\\.${field}\\s*=\\s*(?!false)\\S`).test(scope);
      if (!/\bSecure\s*:\s*(?!false)\S/.test(body) && !setLater('Secure')) findings.push(findingAt(literal, NO_SECURE, secureMessage('http.Cookie')));
      if (!/\bHttpOnly\s*:\s*(?!false)\S/.test(body) && !setLater('HttpOnly')) findings.push(findingAt(literal, NO_HTTPONLY, httpOnlyMessage('http.Cookie')));
    }
  }
  if (text.includes('SetCookie(')) {
    // gin: c.SetCookie(name, value, maxAge, path, domain, secure, httpOnly)
    for (const call of callsTo(root, 'call_expression', '\\.SetCookie$')) {
      const args = positional(call);
      if (args.length !== 7) continue;
      if (args[5]!.text() === 'false') findings.push(findingAt(call, NO_SECURE, secureMessage(`Cookie ${args[0]!.text()}`)));
      if (args[6]!.text() === 'false') findings.push(findingAt(call, NO_HTTPONLY, httpOnlyMessage(`Cookie ${args[0]!.text()}`)));
    }
  }
  if (/NewCookieStore|NewFilesystemStore|NewStore|SignedString/.test(text)) {
    for (const call of callsTo(root, 'call_expression', '(?:^|\\.)(?:NewCookieStore|NewFilesystemStore|NewStore|SignedString)$')) {
      const literal = positional(call).find((arg) => arg.kind() === 'type_conversion_expression' && /^\[\]byte$/.test(arg.field('type')?.text() ?? '') && isLiteralSecret(arg.field('operand')));
      if (literal) findings.push(findingAt(literal, SESSION_SECRET, 'The session/token key is written in the code: anyone who reads it can forge sessions or tokens. Load it from the environment.'));
    }
  }
  if (text.includes('"text/template"') && text.includes('ResponseWriter')) {
    const alias = goAliases(goImports(root), ['text/template']);
    if (alias) {
      for (const call of callsTo(root, 'call_expression', '\\.Execute(?:Template)?$')) {
        const writer = positional(call)[0]?.text() ?? '';
        const fn = enclosing(call, ['function_declaration', 'method_declaration', 'func_literal']);
        const parameters = fn?.field('parameters')?.text() ?? '';
        if (writer && new RegExp(`\\b${writer}\\s+http\\.ResponseWriter\\b`).test(parameters)) {
          findings.push(findingAt(call, AUTOESCAPE, 'text/template renders HTML to the response without escaping; use html/template.'));
        }
      }
    }
  }
  return findings;
}

export const webConfigRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go };
