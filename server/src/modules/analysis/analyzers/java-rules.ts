import type { SgNode } from '@ast-grep/napi';
import { callArguments, isEmptyBlock } from './ast-helpers.ts';
import type { NodeIndex } from './node-index.ts';
import { findingAt, looksLikeSql, SQL_WORD, type RawFinding } from './raw-finding.ts';

export const JAVA_FUNCTION_KINDS = ['method_declaration', 'constructor_declaration', 'lambda_expression'];

const isLiteralString = (node: SgNode | undefined) => !node || node.kind() === 'string_literal';

/** `"..." + x` or `String.format(...)`: a string assembled at run time. */
function isBuiltString(node: SgNode | undefined): boolean {
  if (!node) return false;
  if (node.kind() === 'method_invocation') return /^String\.format\(/.test(node.text());
  if (node.kind() !== 'binary_expression' || node.field('operator')?.text() !== '+') return false;
  return !isLiteralString(node.field('left') ?? undefined) || !isLiteralString(node.field('right') ?? undefined);
}

function invocationsNamed(root: SgNode, name: string): SgNode[] {
  return root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: name } } });
}

function shellInjection(root: SgNode): RawFinding[] {
  const runtimeExec = invocationsNamed(root, '^exec$').filter(
    (call) => /getRuntime\(\)$|^runtime$/i.test(call.field('object')?.text() ?? '') && isBuiltString(callArguments(call)[0]),
  );
  const shellBuilders = root
    .findAll({ rule: { kind: 'object_creation_expression', has: { field: 'type', regex: '^ProcessBuilder$' } } })
    .filter((creation) => {
      const args = callArguments(creation);
      const flag = args.findIndex((arg) => arg.text() === '"-c"');
      return flag > 0 && isBuiltString(args[flag + 1]);
    });
  return [...runtimeExec, ...shellBuilders].map((call) =>
    findingAt(call, 'nyx/dangerous/shell-injection', 'Command built by concatenation; pass the program and its arguments as separate strings.'),
  );
}

function sqlInjection(root: SgNode): RawFinding[] {
  return invocationsNamed(root, '^(?:executeQuery|executeUpdate|execute|executeLargeUpdate|prepareStatement|addBatch)$')
    .filter((call) => {
      const sql = callArguments(call)[0];
      return isBuiltString(sql) && looksLikeSql(sql!.text());
    })
    .map((call) => findingAt(call, 'nyx/dangerous/sql-injection', 'SQL built by concatenation; use a PreparedStatement with ? parameters.'));
}

function trustAll(root: SgNode, text: string): RawFinding[] {
  const emptyTrustChecks = root
    .findAll({ rule: { kind: 'method_declaration', has: { field: 'name', regex: '^checkServerTrusted$' } } })
    .filter((method) => isEmptyBlock(method.field('body'), text))
    .map((method) => findingAt(method.field('name')!, 'nyx/dangerous/tls-verification-disabled', 'TrustManager accepts every server certificate (checkServerTrusted is empty).'));
  const allowAllHosts = invocationsNamed(root, '^setHostnameVerifier$')
    .filter((call) => /^\(\s*\w+\s*,\s*\w+\s*\)\s*->\s*true$|ALLOW_ALL|NoopHostnameVerifier/.test(callArguments(call)[0]?.text() ?? ''))
    .map((call) => findingAt(call, 'nyx/dangerous/tls-verification-disabled', 'Hostname verifier accepts every host.'));
  return [...emptyTrustChecks, ...allowAllHosts];
}


function emptyCatch(index: NodeIndex, text: string): RawFinding[] {
  return index
    .of('catch_clause')
    .filter(({ node }) => isEmptyBlock(node.field('body'), text))
    .map(({ node }) => findingAt(node, 'nyx/correctness/empty-catch', 'Empty catch block swallows the exception.'));
}

/** Searches gated by trigger words, and the shared walk for the rest (see javascriptAnalyzer). */
export const javaAnalyzer = {
  kinds: [{ kind: 'catch_clause' }],
  analyze(root: SgNode, text: string, index: NodeIndex): RawFinding[] {
    return [
      ...(text.includes('exec') || text.includes('ProcessBuilder') ? shellInjection(root) : []),
      ...(SQL_WORD.test(text) ? sqlInjection(root) : []),
      ...(text.includes('checkServerTrusted') || text.includes('setHostnameVerifier') ? trustAll(root, text) : []),
      ...emptyCatch(index, text),
    ];
  },
};
