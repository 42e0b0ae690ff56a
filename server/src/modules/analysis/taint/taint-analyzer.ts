import type { SgNode } from '@ast-grep/napi';
import type { Language, SourceRange } from '#protocol/findings.ts';
import { rangeOfNode, type RawFinding, type RawFlowStep } from '#server/modules/analysis/analyzers/raw-finding.ts';
import { TaintEngine } from './engine.ts';
import { flowRuleIdByKind, flowRules } from './flow-rules.ts';
import type { IrModule } from './ir.ts';
import { lowerGo } from './lower-go.ts';
import { lowerJava } from './lower-java.ts';
import { lowerJavaScript } from './lower-javascript.ts';
import { lowerPython } from './lower-python.ts';
import { modelsFor, sourceGate, type SinkKind } from './models.ts';
import type { Step } from './values.ts';

/**
 * Entry point of the taint engine for one parsed file: gate on source words, lower to the IR, run
 * the engine, turn each hit into a RawFinding carrying its flow path.
 */

type Lowering = (root: SgNode) => IrModule;

const LOWERINGS: Partial<Record<Language, Lowering>> = {
  javascript: lowerJavaScript,
  typescript: lowerJavaScript,
  tsx: lowerJavaScript,
  python: lowerPython,
  java: lowerJava,
  go: lowerGo,
};

/** Registers a lowering (Go/Java are added by their own modules). */
export function registerLowering(language: Language, lowering: Lowering): void {
  LOWERINGS[language] = lowering;
}

const gates = new Map<Language, RegExp>();

/** True when the file may contain a source: the engine is skipped otherwise (most files). */
export function mayHaveSources(language: Language, text: string): boolean {
  let gate = gates.get(language);
  if (!gate) gates.set(language, (gate = sourceGate(language)));
  return gate.test(text);
}

const titleByKind = new Map<SinkKind, string>([...flowRules.map((rule) => [rule.kind, rule.title] as const), ['nosql-where', 'NoSQL injection'] as const]);

export function analyzeTaint(language: Language, root: SgNode, text: string): RawFinding[] {
  const lowering = LOWERINGS[language];
  if (!lowering || !mayHaveSources(language, text)) return [];
  const module = lowering(root);
  const hits = new TaintEngine(module, modelsFor(language)).run();
  const findings = hits.map((hit) => {
    const flow = flowSteps(hit.path);
    const source = flow[0]!;
    const ruleId = flowRuleIdByKind.get(hit.kind);
    if (!ruleId) throw new Error(`no flow rule for sink kind ${hit.kind}`);
    return {
      ruleId,
      message: `${titleByKind.get(hit.kind)}: untrusted data (${source.message}, line ${source.range.startLine}) reaches ${hit.label}.`,
      range: rangeOfNode(hit.sink),
      matchedText: hit.sink.text(),
      flow,
    };
  });
  // one report per sink: a `$where` inside a find() call is the find() finding
  return findings.filter((inner) => !findings.some((outer) => outer !== inner && outer.ruleId === inner.ruleId && contains(outer.range, inner.range)));
}

function contains(outer: SourceRange, inner: SourceRange): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  const same = outer.startLine === inner.startLine && outer.startColumn === inner.startColumn && outer.endLine === inner.endLine && outer.endColumn === inner.endColumn;
  return !same && before(outer.startLine, outer.startColumn, inner.startLine, inner.startColumn) && before(inner.endLine, inner.endColumn, outer.endLine, outer.endColumn);
}

/** The path from source to sink, one entry per location (repeated locations collapse). */
function flowSteps(last: Step): RawFlowStep[] {
  const steps: Step[] = [];
  for (let s: Step | undefined = last; s; s = s.prev) steps.unshift(s);
  const out: RawFlowStep[] = [];
  for (const s of steps) {
    const range = rangeOfNode(s.at);
    const previous = out[out.length - 1];
    const sameSpot = previous && previous.range.startLine === range.startLine && (previous.message === s.message || (previous.range.startColumn === range.startColumn && previous.range.endColumn === range.endColumn));
    if (previous && sameSpot && previous.kind !== 'source' && s.kind !== 'sink') continue;
    out.push({ kind: s.kind, range, message: s.message });
  }
  if (out.length && out[0]!.kind !== 'source') out[0] = { ...out[0]!, kind: 'source' };
  if (out.length === 1) out.unshift({ ...out[0]!, kind: 'source' });
  out[out.length - 1] = { ...out[out.length - 1]!, kind: 'sink' };
  return out;
}

/**
 * Shape rules that the flow rules supersede where both fire on one call: a tainted flow says more
 * (where the data came from), so the shape finding on the same line is dropped. Elsewhere the shape
 * rules still report (strings built from values that are not request input).
 */
const SUPERSEDED: Readonly<Record<string, string>> = {
  'nyx/dangerous/sql-injection': 'nyx/injection/sql',
  'nyx/dangerous/shell-injection': 'nyx/injection/command',
  'nyx/dangerous/dynamic-eval': 'nyx/injection/code',
  'nyx/dangerous/inner-html': 'nyx/injection/xss',
};

export function dropSuperseded(findings: RawFinding[]): RawFinding[] {
  const flowLines = new Set(findings.filter((f) => f.flow).map((f) => `${f.ruleId}:${f.range.startLine}`));
  if (!flowLines.size) return findings;
  return findings.filter((f) => {
    const flowRule = SUPERSEDED[f.ruleId];
    return !flowRule || !flowLines.has(`${flowRule}:${f.range.startLine}`);
  });
}
