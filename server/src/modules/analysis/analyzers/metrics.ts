import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../../../../../protocol/findings.ts';
import { GO_FUNCTION_KINDS } from './go-rules.ts';
import { JAVA_FUNCTION_KINDS } from './java-rules.ts';
import { JS_FUNCTION_KINDS } from './js-rules.ts';
import { PYTHON_FUNCTION_KINDS } from './python-rules.ts';
import type { IndexedKind, IndexedNode, NodeIndex } from './node-index.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';

export const MAX_FUNCTION_LINES = 80;
export const MAX_NESTING_DEPTH = 4;
export const MAX_CYCLOMATIC_COMPLEXITY = 15;

interface MetricProfile {
  functions: ReadonlySet<string>;
  /** Statements that add a nesting level (and one path each). */
  nesting: ReadonlySet<string>;
  /** Other nodes that add one path each (cyclomatic complexity). */
  decisions: ReadonlySet<string>;
  /** Logical operators live in `binary_expression` nodes; they count as decisions. */
  logicalKind?: string;
  /** Whether `else if` chains exist (Python has `elif` instead): such an `if` is a decision, not a nesting level. */
  elseIf: boolean;
  comments: readonly string[];
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);
/** Nesting statements that open no extra path by themselves (their cases/catches do). */
const NESTING_WITHOUT_PATH = set('try_statement', 'try_with_resources_statement', 'with_statement', 'switch_statement', 'switch_expression', 'match_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement');

const JS_PROFILE: MetricProfile = {
  functions: set(...JS_FUNCTION_KINDS),
  nesting: set('if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_statement', 'try_statement'),
  decisions: set('switch_case', 'catch_clause', 'ternary_expression'),
  logicalKind: 'binary_expression',
  elseIf: true,
  comments: ['comment'],
};

const PROFILES: Readonly<Record<Language, MetricProfile>> = {
  javascript: JS_PROFILE,
  typescript: JS_PROFILE,
  tsx: JS_PROFILE,
  python: {
    functions: set(...PYTHON_FUNCTION_KINDS),
    nesting: set('if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement'),
    decisions: set('elif_clause', 'except_clause', 'conditional_expression', 'boolean_operator', 'case_clause', 'if_clause'),
    elseIf: false,
    comments: ['comment'],
  },
  go: {
    functions: set(...GO_FUNCTION_KINDS),
    nesting: set('if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'),
    decisions: set('expression_case', 'type_case', 'communication_case'),
    logicalKind: 'binary_expression',
    elseIf: true,
    comments: ['comment'],
  },
  java: {
    functions: set(...JAVA_FUNCTION_KINDS),
    nesting: set('if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement'),
    decisions: set('switch_label', 'catch_clause', 'ternary_expression'),
    logicalKind: 'binary_expression',
    elseIf: true,
    comments: ['line_comment', 'block_comment'],
  },
};

/** The nodes the metrics read from the shared walk (see node-index.ts). */
export function metricKinds(language: Language): IndexedKind[] {
  const profile = PROFILES[language];
  const plain = [...profile.functions, ...profile.nesting, ...profile.decisions].filter((kind) => kind !== profile.logicalKind);
  const logical = profile.logicalKind ? [{ kind: profile.logicalKind, where: { has: { field: 'operator', regex: '^(?:&&|\\|\\||\\?\\?)$' } } }] : [];
  return [...plain.map((kind) => ({ kind })), ...logical];
}

type Span = IndexedNode;

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

const ELSE_BEFORE = /(?:^|[^\w$])else\s*$/;

/**
 * `else if`: the `if` continues a chain (a decision, not a nesting level). Read from the text just
 * before it rather than asking for its parent node: a native call per `if` adds up. An `else`
 * separated from its `if` by a comment counts as nesting, which only makes the rule stricter.
 */
function continuesElse(text: string, ifStart: number): boolean {
  return ELSE_BEFORE.test(text.slice(Math.max(0, ifStart - 32), ifStart));
}

/**
 * Function length, nesting depth and cyclomatic complexity from the nodes of the shared walk; the
 * rest is arithmetic on offsets in JavaScript.
 */
export function analyzeMetrics(index: NodeIndex, language: Language, text: string): RawFinding[] {
  const profile = PROFILES[language];
  const functions = [...profile.functions].flatMap((kind) => index.of(kind));
  const nesting: Span[] = [];
  const decisions: Span[] = [];
  for (const kind of profile.nesting) {
    for (const span of index.of(kind)) {
      if (!NESTING_WITHOUT_PATH.has(kind)) decisions.push(span);
      if (kind !== 'if_statement' || !profile.elseIf || !continuesElse(text, span.start)) nesting.push(span);
    }
  }
  for (const kind of profile.decisions) decisions.push(...index.of(kind));
  if (profile.logicalKind) decisions.push(...index.of(profile.logicalKind));
  functions.sort((a, b) => a.start - b.start || b.end - a.end);

  const findings: RawFinding[] = [];
  for (const fn of functions) {
    const { start, end } = fn.node.range();
    const lines = end.line - start.line + 1;
    if (lines > MAX_FUNCTION_LINES) {
      findings.push(headerFinding(fn.node, 'nyx/maintainability/function-length', `Function is ${lines} lines long (limit ${MAX_FUNCTION_LINES}).`));
    }
  }
  complexityPerFunction(functions, decisions).forEach((value, i) => {
    if (value > MAX_CYCLOMATIC_COMPLEXITY) {
      findings.push(headerFinding(functions[i]!.node, 'nyx/maintainability/cyclomatic-complexity', `Cyclomatic complexity is ${value} (limit ${MAX_CYCLOMATIC_COMPLEXITY}).`));
    }
  });
  findings.push(...nestingFindings(functions, nesting));
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
export function todoComments(root: SgNode, language: Language, text: string): RawFinding[] {
  if (!/TODO|FIXME|HACK/.test(text)) return [];
  return root
    .findAll({ rule: { any: PROFILES[language].comments.map((kind) => ({ kind })), regex: '\\b(?:TODO|FIXME|HACK)\\b' } })
    .map((comment) => {
      const marker = /\b(TODO|FIXME|HACK)\b/.exec(comment.text())!;
      return findingAt(comment, 'nyx/maintainability/todo-comment', `${marker[1]} comment: ${comment.text().slice(marker.index).split('\n', 1)[0]!.slice(0, 120)}`);
    });
}
