import type { SgNode } from '@ast-grep/napi';
import { asyncDeclarations, callArguments, callsTo, isEmptyBlock } from './ast-helpers.ts';
import { unawaitedAsyncCalls, type AsyncCallSyntax } from './async-calls.ts';
import type { NodeIndex } from './node-index.ts';
import { findingAt, looksLikeSql, replaceNode, SQL_WORD, type RawFinding } from './raw-finding.ts';

export const JS_FUNCTION_KINDS = ['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration'];

function isLiteralString(node: SgNode | undefined): boolean {
  if (!node) return true;
  if (node.kind() === 'string') return true;
  return node.kind() === 'template_string' && !node.has({ rule: { kind: 'template_substitution' } });
}

/** A string assembled at run time: a template with `${}` or a `+` involving a non-literal. */
function isBuiltString(node: SgNode | undefined): boolean {
  if (!node) return false;
  if (node.kind() === 'template_string') return !isLiteralString(node);
  if (node.kind() !== 'binary_expression' || node.field('operator')?.text() !== '+') return false;
  return !isLiteralString(node.field('left') ?? undefined) || !isLiteralString(node.field('right') ?? undefined);
}

function dynamicEval(root: SgNode): RawFinding[] {
  const evals = callsTo(root, 'call_expression', '^(?:window\\.|globalThis\\.)?eval$').filter((call) => !isLiteralString(callArguments(call)[0]));
  const functions = root
    .findAll({ rule: { kind: 'new_expression', has: { field: 'constructor', regex: '^Function$' } } })
    .filter((expr) => callArguments(expr).some((arg) => !isLiteralString(arg)));
  return [...evals, ...functions].map((node) =>
    findingAt(node, 'nyx/dangerous/dynamic-eval', `\`${node.kind() === 'new_expression' ? 'new Function' : 'eval'}\` runs a string built at run time.`),
  );
}

const CHILD_PROCESS = String.raw`['"](?:node:)?child_process['"]`;
const MODULE_ALIAS = new RegExp(String.raw`(?:(\w+)\s*=\s*require\(\s*${CHILD_PROCESS}\s*\)|import\s+(?:\*\s+as\s+)?(\w+)\s+from\s+${CHILD_PROCESS})`, 'g');
const NAMED_IMPORTS = new RegExp(String.raw`\{([^}]*)\}\s*(?:=\s*require\(\s*|from\s+)${CHILD_PROCESS}`, 'g');

/**
 * The callee texts that reach child_process exec in this file: `cp.exec` for a module alias,
 * `exec`/`run` for destructured or renamed imports. RegExp#exec never matches.
 */
function childProcessExecCallee(text: string): string | undefined {
  const callees: string[] = [];
  for (const match of text.matchAll(MODULE_ALIAS)) callees.push(`${match[1] ?? match[2]}\\.exec(?:Sync)?`);
  for (const match of text.matchAll(NAMED_IMPORTS)) {
    for (const binding of match[1]!.split(',')) {
      const [imported, local] = binding.split(/\s+as\s+|:/).map((part) => part.trim());
      if (imported === 'exec' || imported === 'execSync') callees.push(local || imported);
    }
  }
  return callees.length > 0 ? `^(?:${callees.join('|')})$` : undefined;
}

function shellInjection(root: SgNode, text: string): RawFinding[] {
  const callee = text.includes('child_process') ? childProcessExecCallee(text) : undefined;
  if (!callee) return [];
  return callsTo(root, 'call_expression', callee)
    .filter((call) => isBuiltString(callArguments(call)[0]))
    .map((call) => findingAt(call, 'nyx/dangerous/shell-injection', 'Shell command built from dynamic input passed to child_process exec; use execFile with an argument array.'));
}

function sqlInjection(root: SgNode): RawFinding[] {
  return callsTo(root, 'call_expression', '\\.(?:query|execute|raw|unsafe)$')
    .filter((call) => {
      const sql = callArguments(call)[0];
      return isBuiltString(sql) && looksLikeSql(sql!.text());
    })
    .map((call) => findingAt(call, 'nyx/dangerous/sql-injection', 'SQL built by string concatenation or template literal; use query parameters.'));
}

function tlsDisabled(root: SgNode): RawFinding[] {
  const pairs = root.findAll({
    rule: { kind: 'pair', all: [{ has: { field: 'key', regex: `^["']?rejectUnauthorized["']?$` } }, { has: { field: 'value', kind: 'false' } }] },
  });
  return pairs.map((pair) =>
    findingAt(pair, 'nyx/dangerous/tls-verification-disabled', '`rejectUnauthorized: false` disables TLS certificate verification.',
      replaceNode(pair.field('value')!, 'true', 'Set rejectUnauthorized to true')),
  );
}


function innerHtml(root: SgNode): RawFinding[] {
  return root
    .findAll({ rule: { any: ['=', '+='].flatMap((op) => [`$E.innerHTML ${op} $V`, `$E.outerHTML ${op} $V`].map((pattern) => ({ pattern }))) } })
    .filter((assignment) => !isLiteralString(assignment.getMatch('V') ?? undefined))
    .map((assignment) => findingAt(assignment, 'nyx/dangerous/inner-html', 'innerHTML set from non-literal data can inject script; use textContent or sanitize.'));
}

function emptyCatch(index: NodeIndex, text: string): RawFinding[] {
  return index
    .of('catch_clause')
    .filter(({ node }) => isEmptyBlock(node.field('body'), text))
    .map(({ node }) => findingAt(node, 'nyx/correctness/empty-catch', 'Empty catch block swallows the error.'));
}

const JS_ASYNC_CALLS: AsyncCallSyntax = {
  declarations(index, text) {
    const named = (node: SgNode | null | undefined) => node?.field('name')?.text();
    const declarations = [...asyncDeclarations(index, text, ['function_declaration', 'method_definition'])];
    for (const arrow of asyncArrows(index, text)) {
      const declarator = arrow.node.parent();
      const name = declarator?.kind() === 'variable_declarator' ? named(declarator) : undefined;
      if (declarator && name) declarations.push({ node: declarator, name });
    }
    return declarations;
  },
  isMethod: (declaration) => declaration.kind() === 'method_definition',
  receiverPrefix: 'this.',
  scopeKinds: ['statement_block', 'program'],
  functionKinds: new Set(JS_FUNCTION_KINDS),
  parameterFields: ['parameters', 'parameter'],
};

function floatingPromises(index: NodeIndex, text: string): RawFinding[] {
  return unawaitedAsyncCalls(index, text, index.of('call_expression'), JS_ASYNC_CALLS).map((node) =>
    findingAt(node, 'nyx/correctness/floating-promise', `\`${node.field('function')!.text()}\` is async but its promise is neither awaited nor handled.`),
  );
}

function asyncArrows(index: NodeIndex, text: string) {
  return index.of('arrow_function').filter(({ start }) => text.startsWith('async', start) && /\s/.test(text[start + 5] ?? ''));
}

/**
 * Rules that need a search of their own run only when their trigger word is in the text: most
 * files have none, and a skipped rule saves a native tree walk. The rest read the shared walk.
 */
export const javascriptAnalyzer = {
  kinds: [
    // Only calls that are whole statements can float; `await f()` and `x = f()` are handled.
    { kind: 'call_expression', where: { inside: { kind: 'expression_statement' } }, when: 'async' },
    { kind: 'catch_clause' },
    ...JS_FUNCTION_KINDS.map((kind) => ({ kind })),
  ],
  analyze(root: SgNode, text: string, index: NodeIndex): RawFinding[] {
    return [
      ...(text.includes('eval') || text.includes('Function') ? dynamicEval(root) : []),
      ...shellInjection(root, text),
      ...(SQL_WORD.test(text) ? sqlInjection(root) : []),
      ...(text.includes('rejectUnauthorized') ? tlsDisabled(root) : []),
      ...(text.includes('HTML') ? innerHtml(root) : []),
      ...emptyCatch(index, text),
      ...(text.includes('async') ? floatingPromises(index, text) : []),
    ];
  },
};
