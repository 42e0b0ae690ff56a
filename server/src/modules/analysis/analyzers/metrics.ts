import type { SgNode } from '@ast-grep/napi';
import type { Language } from '#protocol/findings.ts';
import { GO_FUNCTION_KINDS } from './go-rules.ts';
import { JAVA_FUNCTION_KINDS } from './java-rules.ts';
import { JS_FUNCTION_KINDS } from './js-rules.ts';
import { PYTHON_FUNCTION_KINDS } from './python-rules.ts';
import { scopesToMeasure, type MetricWords } from './metric-bounds.ts';
import { combineKinds, NodeIndex, type IndexedKind, type IndexedNode } from './node-index.ts';
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
  /** Words that every decision / nesting node above contains (see metric-bounds.ts). */
  words: MetricWords;
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
  words: { decisions: /\b(?:if|for|while|do|case|catch)\b|\?|&&|\|\|/g, nesting: /\b(?:if|for|while|do|switch|try)\b/g },
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
    words: { decisions: /\b(?:if|elif|for|while|except|and|or|case)\b/g, nesting: /\b(?:if|for|while|try|with|match)\b/g },
  },
  go: {
    functions: set(...GO_FUNCTION_KINDS),
    nesting: set('if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'),
    decisions: set('expression_case', 'type_case', 'communication_case'),
    logicalKind: 'binary_expression',
    elseIf: true,
    comments: ['comment'],
    words: { decisions: /\b(?:if|for|case)\b|&&|\|\|/g, nesting: /\b(?:if|for|switch|select)\b/g },
  },
  java: {
    functions: set(...JAVA_FUNCTION_KINDS),
    nesting: set('if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'switch_expression', 'try_statement', 'try_with_resources_statement'),
    decisions: set('switch_label', 'catch_clause', 'ternary_expression'),
    logicalKind: 'binary_expression',
    elseIf: true,
    comments: ['line_comment', 'block_comment'],
    words: { decisions: /\b(?:if|for|while|do|case|default|catch)\b|\?|&&|\|\|/g, nesting: /\b(?:if|for|while|do|switch|try)\b/g },
  },
};

/** The metrics read only functions from the shared walk (see node-index.ts); statements come later. */
export function metricKinds(language: Language): IndexedKind[] {
  return [...PROFILES[language].functions].map((kind) => ({ kind }));
}

// Functions, nesting statements and decisions: walked only inside the scopes worth measuring.
const statementRules = new Map<Language, Record<string, unknown>>();

function statementRule(language: Language): Record<string, unknown> {
  let rule = statementRules.get(language);
  if (!rule) {
    const profile = PROFILES[language];
    const plain = [...profile.functions, ...profile.nesting, ...profile.decisions].filter((kind) => kind !== profile.logicalKind);
    const logical = profile.logicalKind ? [{ kind: profile.logicalKind, where: { has: { field: 'operator', regex: '^(?:&&|\\|\\||\\?\\?)$' } } }] : [];
    statementRules.set(language, (rule = combineKinds([...plain.map((kind) => ({ kind })), ...logical])));
  }
  return rule;
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

const byPosition = (a: Span, b: Span) => a.start - b.start || b.end - a.end;

/**
 * Function length from the shared walk; nesting depth and cyclomatic complexity from a walk of
 * the statements of only those scopes whose word counts could break a limit (metric-bounds.ts).
 * The rest is arithmetic on offsets in JavaScript.
 */
export function analyzeMetrics(root: SgNode, index: NodeIndex, language: Language, text: string, options: { exhaustive?: boolean } = {}): RawFinding[] {
  const profile = PROFILES[language];
  const functions = [...profile.functions].flatMap((kind) => index.of(kind)).sort(byPosition);
  const findings: RawFinding[] = [];
  for (const fn of functions) {
    const lines = fn.endLine - fn.startLine + 1;
    if (lines > MAX_FUNCTION_LINES) {
      findings.push(headerFinding(fn.node, 'nyx/maintainability/function-length', `Function is ${lines} lines long (limit ${MAX_FUNCTION_LINES}).`));
    }
  }
  const limits = { decisions: MAX_CYCLOMATIC_COMPLEXITY, nesting: MAX_NESTING_DEPTH + 1 };
  // `exhaustive` walks every statement: what the bounds must never change (the tests compare both).
  const scopes = options.exhaustive ? { wholeFile: true, functions: [] } : scopesToMeasure(functions, text, profile.words, limits);
  for (const scope of scopes.wholeFile ? [root] : scopes.functions.map((fn) => fn.node)) {
    findings.push(...measureScope(new NodeIndex(scope, statementRule(language)), profile, text));
  }
  return findings;
}

/** Complexity and nesting of every function in one scope (a function and what it contains, or the file). */
function measureScope(statements: NodeIndex, profile: MetricProfile, text: string): RawFinding[] {
  const functions = [...profile.functions].flatMap((kind) => statements.of(kind)).sort(byPosition);
  const nesting: Span[] = [];
  const decisions: Span[] = [];
  for (const kind of profile.nesting) {
    for (const span of statements.of(kind)) {
      if (!NESTING_WITHOUT_PATH.has(kind)) decisions.push(span);
      if (kind !== 'if_statement' || !profile.elseIf || !continuesElse(text, span.start)) nesting.push(span);
    }
  }
  for (const kind of profile.decisions) decisions.push(...statements.of(kind));
  if (profile.logicalKind) decisions.push(...statements.of(profile.logicalKind));

  const findings: RawFinding[] = [];
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

const TODO_MARKER = /\b(TODO|FIXME|HACK)\b/g;

/**
 * TODO/FIXME/HACK in comments (never in strings), as info. Each marker is reported at its own
 * line and column: a block comment can hold several, far below the comment's first line.
 */
export function todoComments(root: SgNode, language: Language, text: string): RawFinding[] {
  if (!/TODO|FIXME|HACK/.test(text)) return [];
  return root
    .findAll({ rule: { any: PROFILES[language].comments.map((kind) => ({ kind })), regex: '\\b(?:TODO|FIXME|HACK)\\b' } })
    .flatMap((comment) => {
      const body = comment.text();
      const { start } = comment.range();
      return [...body.matchAll(TODO_MARKER)].map((marker) => {
        const before = body.slice(0, marker.index);
        const newlines = before.split('\n').length - 1;
        const line = start.line + 1 + newlines;
        const column = newlines === 0 ? start.column + 1 + marker.index : marker.index - before.lastIndexOf('\n');
        const rest = body.slice(marker.index).split('\n', 1)[0]!.replace(/\s*\*\/\s*$/, '');
        return {
          ruleId: 'nyx/maintainability/todo-comment',
          message: `${marker[1]} comment: ${rest.slice(0, 120)}`,
          range: { startLine: line, startColumn: column, endLine: line, endColumn: column + marker[1]!.length },
          // The marker's own line: two TODOs in one comment are two findings with their own identity.
          matchedText: rest,
        };
      });
    });
}
