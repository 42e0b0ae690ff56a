import type { SgNode } from '@ast-grep/napi';
import { callArguments, callsTo } from './ast-helpers.ts';
import { findingAt, looksLikeSql, replaceNode, SQL_WORD, type RawFinding } from './raw-finding.ts';

export const GO_FUNCTION_KINDS = ['function_declaration', 'method_declaration', 'func_literal'];

const isLiteralString = (node: SgNode | undefined) => !node || node.kind() === 'interpreted_string_literal' || node.kind() === 'raw_string_literal';

/** `"..." + x` or `fmt.Sprintf(...)`: a string assembled at run time. */
function isBuiltString(node: SgNode | undefined): boolean {
  if (!node) return false;
  if (node.kind() === 'call_expression') return /^fmt\.Sprint(?:f|ln)?$/.test(node.field('function')?.text() ?? '');
  if (node.kind() !== 'binary_expression' || node.field('operator')?.text() !== '+') return false;
  return !isLiteralString(node.field('left') ?? undefined) || !isLiteralString(node.field('right') ?? undefined);
}

function shellInjection(root: SgNode): RawFinding[] {
  return callsTo(root, 'call_expression', '^exec\\.Command(?:Context)?$')
    .filter((call) => {
      const args = callArguments(call);
      const flag = args.findIndex((arg) => arg.text() === '"-c"');
      return flag > 0 && /^"(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|zsh)"$/.test(args[flag - 1]!.text()) && isBuiltString(args[flag + 1]);
    })
    .map((call) => findingAt(call, 'nyx/dangerous/shell-injection', '`sh -c` with a command built at run time; call the program directly with separate arguments.'));
}

function sqlInjection(root: SgNode): RawFinding[] {
  return callsTo(root, 'call_expression', '\\.(?:Query|QueryRow|Exec|Prepare)(?:Context)?$')
    .filter((call) => callArguments(call).slice(0, 2).some((arg) => isBuiltString(arg) && looksLikeSql(arg.text())))
    .map((call) => findingAt(call, 'nyx/dangerous/sql-injection', 'SQL built with fmt.Sprintf or concatenation; use placeholders and pass arguments.'));
}

function tlsDisabled(root: SgNode): RawFinding[] {
  const message = '`InsecureSkipVerify: true` disables TLS certificate verification.';
  const fields = root
    .findAll({ rule: { kind: 'keyed_element', regex: '^InsecureSkipVerify\\s*:\\s*true$' } })
    .map((element) => findingAt(element, 'nyx/dangerous/tls-verification-disabled', message,
      replaceNode(element.namedChildren().at(-1)!, 'false', 'Set InsecureSkipVerify to false')));
  const assignments = root
    .findAll({ rule: { pattern: '$C.InsecureSkipVerify = true' } })
    .map((assignment) => findingAt(assignment, 'nyx/dangerous/tls-verification-disabled', message,
      replaceNode(assignment.field('right')!, 'false', 'Set InsecureSkipVerify to false')));
  return [...fields, ...assignments];
}


/** Each rule runs only when its trigger word is in the text (see javascriptAnalyzer). */
export const goAnalyzer = {
  kinds: [],
  analyze(root: SgNode, text: string): RawFinding[] {
    return [
      ...(text.includes('exec.Command') ? shellInjection(root) : []),
      ...(SQL_WORD.test(text) ? sqlInjection(root) : []),
      ...(text.includes('InsecureSkipVerify') ? tlsDisabled(root) : []),
    ];
  },
};
