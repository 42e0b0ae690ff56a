import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../../../../../protocol/findings.ts';
import { GO_FUNCTION_KINDS } from './go-rules.ts';
import { JAVA_FUNCTION_KINDS } from './java-rules.ts';
import { JS_FUNCTION_KINDS } from './js-rules.ts';
import { PYTHON_FUNCTION_KINDS } from './python-rules.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';

export const MAX_FUNCTION_LINES = 80;
export const MAX_NESTING_DEPTH = 4;
export const MAX_CYCLOMATIC_COMPLEXITY = 15;

type Rule = Record<string, unknown>;

interface MetricProfile {
  functions: readonly string[];
  /** Statements that add a nesting level. */
  nesting: Rule;
  /** Nodes that add one path each (cyclomatic complexity). */
  decisions: Rule;
  comments: readonly string[];
}

const kinds = (...names: string[]): Rule[] => names.map((kind) => ({ kind }));
const logicalOperator: Rule = { kind: 'binary_expression', has: { field: 'operator', regex: '^(?:&&|\\|\\||\\?\\?)$' } };

const JS_PROFILE: MetricProfile = {
  functions: JS_FUNCTION_KINDS,
  // `else if` is a chain, not nesting: an if directly inside an else clause adds no level.
  nesting: { any: [{ kind: 'if_statement', not: { inside: { kind: 'else_clause' } } }, ...kinds('for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement')] },
  decisions: { any: [...kinds('if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_case', 'catch_clause', 'ternary_expression'), logicalOperator] },
  comments: ['comment'],
};

const PROFILES: Readonly<Record<Language, MetricProfile>> = {
  javascript: JS_PROFILE,
  typescript: JS_PROFILE,
  tsx: JS_PROFILE,
  python: {
    functions: PYTHON_FUNCTION_KINDS,
    nesting: { any: kinds('if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement') },
    decisions: { any: kinds('if_statement', 'elif_clause', 'for_statement', 'while_statement', 'except_clause', 'conditional_expression', 'boolean_operator', 'case_clause', 'if_clause') },
    comments: ['comment'],
  },
  go: {
    functions: GO_FUNCTION_KINDS,
    nesting: { any: [{ kind: 'if_statement', not: { inside: { kind: 'if_statement', field: 'alternative' } } }, ...kinds('for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement')] },
    decisions: { any: [...kinds('if_statement', 'for_statement', 'expression_case', 'type_case', 'communication_case'), logicalOperator] },
    comments: ['comment'],
  },
  java: {
    functions: JAVA_FUNCTION_KINDS,
    nesting: { any: [{ kind: 'if_statement', not: { inside: { kind: 'if_statement', field: 'alternative' } } }, ...kinds('for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement')] },
    decisions: { any: [...kinds('if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_label', 'catch_clause', 'ternary_expression'), logicalOperator] },
    comments: ['line_comment', 'block_comment'],
  },
};

export function functionKinds(language: Language): readonly string[] {
  return PROFILES[language].functions;
}

interface Span {
  start: number;
  end: number;
  node: SgNode;
}

function spans(nodes: SgNode[]): Span[] {
  return nodes.map((node) => {
    const { start, end } = node.range();
    return { start: start.index, end: end.index, node };
  });
}

/**
 * Complexity per function: each decision counts for the innermost function around it. One sweep
 * in source order with a stack of open functions (tree ranges nest), so huge files stay linear.
 */
function complexityPerFunction(functions: Span[], decisions: Span[]): number[] {
  const complexity = new Array<number>(functions.length).fill(1);
  const open: number[] = [];
  let next = 0;
  for (const decision of decisions.sort((a, b) => a.start - b.start)) {
    for (; next < functions.length && functions[next]!.start <= decision.start; next++) {
      while (open.length > 0 && functions[open.at(-1)!]!.end <= functions[next]!.start) open.pop();
      open.push(next);
    }
    while (open.length > 0 && functions[open.at(-1)!]!.end <= decision.start) open.pop();
    if (open.length > 0) complexity[open.at(-1)!]!++;
  }
  return complexity;
}

/** The part of a function worth highlighting: its name, or else its first line. */
function functionHeader(fn: SgNode): SgNode {
  return fn.field('name') ?? fn;
}

/**
 * Function length, nesting depth and cyclomatic complexity. Each metric is a few native
 * `findAll` calls plus arithmetic on offsets, instead of walking every node from JavaScript.
 */
export function analyzeMetrics(root: SgNode, language: Language): RawFinding[] {
  const profile = PROFILES[language];
  const findings: RawFinding[] = [];
  const functions = spans(root.findAll({ rule: { any: kinds(...profile.functions) } })).sort((a, b) => a.start - b.start || b.end - a.end);

  for (const fn of functions) {
    const { start, end } = fn.node.range();
    const lines = end.line - start.line + 1;
    if (lines > MAX_FUNCTION_LINES) {
      findings.push(headerFinding(fn.node, 'nyx/maintainability/function-length', `Function is ${lines} lines long (limit ${MAX_FUNCTION_LINES}).`));
    }
  }

  const complexity = complexityPerFunction(functions, spans(root.findAll({ rule: profile.decisions })));
  complexity.forEach((value, i) => {
    if (value > MAX_CYCLOMATIC_COMPLEXITY) {
      findings.push(headerFinding(functions[i]!.node, 'nyx/maintainability/cyclomatic-complexity', `Cyclomatic complexity is ${value} (limit ${MAX_CYCLOMATIC_COMPLEXITY}).`));
    }
  });

  findings.push(...nestingFindings(functions, spans(root.findAll({ rule: profile.nesting }))));
  return findings;
}

function headerFinding(fn: SgNode, ruleId: string, message: string): RawFinding {
  const header = functionHeader(fn);
  if (header !== fn) return findingAt(header, ruleId, message);
  // Anonymous functions: highlight the first line only; the fingerprint uses that line's text.
  const finding = findingAt(fn, ruleId, message);
  const firstLine = fn.text().split('\n', 1)[0]!;
  return { ...finding, matchedText: firstLine, range: { ...finding.range, endLine: finding.range.startLine, endColumn: finding.range.startColumn + firstLine.length } };
}

/**
 * Sweeps functions and control statements in source order with a stack (tree ranges nest), so the
 * depth of each statement is the count of open statements since its innermost function. Reports
 * the statement that first goes past the limit, once per outermost offender.
 */
function nestingFindings(functions: Span[], controls: Span[]): RawFinding[] {
  const events = [...functions.map((s) => ({ ...s, isFunction: true })), ...controls.map((s) => ({ ...s, isFunction: false }))].sort(
    (a, b) => a.start - b.start || b.end - a.end || Number(b.isFunction) - Number(a.isFunction),
  );
  const stack: Array<{ end: number; depth: number; reported: boolean }> = [];
  const findings: RawFinding[] = [];
  for (const event of events) {
    while (stack.length > 0 && stack.at(-1)!.end <= event.start) stack.pop();
    const parent = stack.at(-1);
    if (event.isFunction) {
      stack.push({ end: event.end, depth: 0, reported: false });
      continue;
    }
    const depth = (parent?.depth ?? 0) + 1;
    const alreadyReported = parent?.reported ?? false;
    const tooDeep = depth > MAX_NESTING_DEPTH;
    if (tooDeep && !alreadyReported) {
      const node = event.node;
      const keywordEnd = node.text().search(/[\s(:{]/);
      const finding = findingAt(node, 'nyx/maintainability/nesting-depth', `Control flow nested ${depth} levels deep (limit ${MAX_NESTING_DEPTH}).`);
      const length = keywordEnd > 0 ? keywordEnd : 1;
      findings.push({ ...finding, matchedText: node.text().split('\n', 1)[0]!, range: { ...finding.range, endLine: finding.range.startLine, endColumn: finding.range.startColumn + length } });
    }
    stack.push({ end: event.end, depth, reported: tooDeep || alreadyReported });
  }
  return findings;
}

/** TODO/FIXME/HACK in comments (never in strings), as info. */
export function todoComments(root: SgNode, language: Language): RawFinding[] {
  return root
    .findAll({ rule: { any: kinds(...PROFILES[language].comments), regex: '\\b(?:TODO|FIXME|HACK)\\b' } })
    .map((comment) => {
      const marker = /\b(TODO|FIXME|HACK)\b/.exec(comment.text())!;
      return findingAt(comment, 'nyx/maintainability/todo-comment', `${marker[1]} comment: ${comment.text().slice(marker.index).split('\n', 1)[0]!.slice(0, 120)}`);
    });
}
