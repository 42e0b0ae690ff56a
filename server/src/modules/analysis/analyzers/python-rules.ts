import type { SgNode } from '@ast-grep/napi';
import { asyncDeclarations, callArguments, callsTo } from './ast-helpers.ts';
import { unawaitedAsyncCalls, type AsyncCallSyntax } from './async-calls.ts';
import type { NodeIndex } from './node-index.ts';
import { findingAt, looksLikeSql, replaceNode, SQL_WORD, type RawFinding } from './raw-finding.ts';

export const PYTHON_FUNCTION_KINDS = ['function_definition', 'lambda'];

function isLiteralString(node: SgNode | undefined): boolean {
  if (!node) return true;
  if (node.kind() === 'concatenated_string') return node.namedChildren().every((part) => isLiteralString(part));
  return node.kind() === 'string' && !node.has({ rule: { kind: 'interpolation' } });
}

/** f-strings, `+`, `%` formatting and `.format()` calls: text assembled at run time. */
function isBuiltString(node: SgNode | undefined): boolean {
  if (!node) return false;
  switch (node.kind()) {
    case 'string':
    case 'concatenated_string':
      return !isLiteralString(node);
    case 'binary_operator':
      return ['+', '%'].includes(node.field('operator')?.text() ?? '') && (!isLiteralString(node.field('left') ?? undefined) || !isLiteralString(node.field('right') ?? undefined));
    case 'call':
      return /\.format$/.test(node.field('function')?.text() ?? '');
    default:
      return false;
  }
}

function positionalArguments(call: SgNode): SgNode[] {
  return callArguments(call).filter((arg) => arg.kind() !== 'keyword_argument');
}

function dynamicEval(root: SgNode): RawFinding[] {
  return callsTo(root, 'call', '^(?:builtins\\.)?(?:eval|exec)$')
    .filter((call) => !isLiteralString(positionalArguments(call)[0]))
    .map((call) => findingAt(call, 'nyx/dangerous/dynamic-eval', `\`${call.field('function')!.text()}\` runs code built at run time.`));
}

function hasShellTrue(call: SgNode): boolean {
  return callArguments(call).some((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === 'shell' && arg.field('value')?.text() === 'True');
}

function shellInjection(root: SgNode): RawFinding[] {
  const subprocessCalls = callsTo(root, 'call', '^subprocess\\.(?:run|call|check_call|check_output|Popen)$').filter(
    (call) => hasShellTrue(call) && isBuiltString(positionalArguments(call)[0]),
  );
  const systemCalls = callsTo(root, 'call', '^os\\.(?:system|popen)$').filter((call) => isBuiltString(positionalArguments(call)[0]));
  return [...subprocessCalls, ...systemCalls].map((call) =>
    findingAt(call, 'nyx/dangerous/shell-injection', 'Shell command built from dynamic input; pass an argument list without shell=True.'),
  );
}

function sqlInjection(root: SgNode): RawFinding[] {
  return callsTo(root, 'call', '\\.(?:execute|executemany|executescript|raw)$')
    .filter((call) => {
      const sql = positionalArguments(call)[0];
      return isBuiltString(sql) && looksLikeSql(sql!.text());
    })
    .map((call) => findingAt(call, 'nyx/dangerous/sql-injection', 'SQL built with f-string, % or concatenation; pass parameters to execute().'));
}

function tlsDisabled(root: SgNode): RawFinding[] {
  return root
    .findAll({ rule: { kind: 'keyword_argument', all: [{ has: { field: 'name', regex: '^verify$' } }, { has: { field: 'value', kind: 'false' } }] } })
    .map((arg) => findingAt(arg, 'nyx/dangerous/tls-verification-disabled', '`verify=False` disables TLS certificate verification.',
      replaceNode(arg, 'verify=True', 'Set verify=True')));
}


function emptyExcept(index: NodeIndex): RawFinding[] {
  return index
    .of('except_clause')
    .filter(({ node }) => {
      const body = node.namedChildren().at(-1);
      const statements = body?.kind() === 'block' ? body.namedChildren() : [];
      return statements.length > 0 && statements.every((s) => s.kind() === 'pass_statement' || s.text() === '...');
    })
    .map(({ node }) => findingAt(node, 'nyx/correctness/empty-catch', 'Empty except block swallows the error.'));
}

const PYTHON_ASYNC_CALLS: AsyncCallSyntax = {
  declarations: (index, text) => asyncDeclarations(index, text, ['function_definition']),
  // A method's block belongs to a class (through its decorators, if any).
  isMethod(declaration) {
    const holder = declaration.parent()?.kind() === 'decorated_definition' ? declaration.parent() : declaration;
    return holder?.parent()?.parent()?.kind() === 'class_definition';
  },
  receiverPrefix: 'self.',
  scopeKinds: ['block', 'module'],
  functionKinds: new Set(PYTHON_FUNCTION_KINDS),
  parameterFields: ['parameters'],
};

function unawaitedCoroutines(index: NodeIndex, text: string): RawFinding[] {
  return unawaitedAsyncCalls(index, text, index.of('call'), PYTHON_ASYNC_CALLS).map((node) =>
    findingAt(node, 'nyx/correctness/floating-promise', `\`${node.field('function')!.text()}\` is a coroutine that is never awaited.`),
  );
}

/** Searches gated by trigger words, and the shared walk for the rest (see javascriptAnalyzer). */
export const pythonAnalyzer = {
  kinds: [
    { kind: 'call', where: { inside: { kind: 'expression_statement' } }, when: 'async' },
    { kind: 'except_clause' },
    ...PYTHON_FUNCTION_KINDS.map((kind) => ({ kind })),
  ],
  analyze(root: SgNode, text: string, index: NodeIndex): RawFinding[] {
    return [
      ...(text.includes('eval') || text.includes('exec') ? dynamicEval(root) : []),
      ...(text.includes('subprocess') || text.includes('os.') ? shellInjection(root) : []),
      ...(SQL_WORD.test(text) ? sqlInjection(root) : []),
      ...(text.includes('verify') ? tlsDisabled(root) : []),
      ...emptyExcept(index),
      ...(text.includes('async') ? unawaitedCoroutines(index, text) : []),
    ];
  },
};
