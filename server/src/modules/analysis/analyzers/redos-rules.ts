import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, type RawFinding } from './raw-finding.ts';
import { positional, pythonImports, qualifyPython, stringValue, type Family } from './rule-support.ts';
import { nestedQuantifier } from './regex-shape.ts';

/**
 * ReDoS (CWE-1333) from literal patterns: a repeated group whose body can match the same text in
 * more than one way (`(a+)+`, `(\w+\s?)*`, `(.*a){2,}`) backtracks exponentially on a near-miss.
 * Go's regexp is RE2 (linear time), so Go has no finding. Patterns built from input are the
 * taint engine's.
 */

const RULE = 'nyx/regex/redos';

function finding(node: SgNode, pattern: string): RawFinding[] {
  const culprit = nestedQuantifier(pattern);
  return culprit ? [findingAt(node, RULE, `Regular expression ${culprit} nests quantifiers that can match the same text in many ways: a crafted input makes matching take exponential time. Make the repetition unambiguous or use possessive/atomic groups.`)] : [];
}

/** Java and non-raw Python/JS strings: the regex is what the string holds after its escapes. */
function unescapeString(value: string): string {
  return value.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function js(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (/\)[*+{]/.test(text)) {
    for (const regex of root.findAll({ rule: { kind: 'regex' } })) findings.push(...finding(regex, regex.field('pattern')?.text() ?? ''));
  }
  if (text.includes('RegExp')) {
    for (const call of root.findAll({ rule: { any: [{ kind: 'new_expression', has: { field: 'constructor', regex: '^RegExp$' } }, { kind: 'call_expression', has: { field: 'function', regex: '^RegExp$' } }] } })) {
      const value = stringValue(positional(call)[0]);
      if (value !== undefined) findings.push(...finding(call, unescapeString(value)));
    }
  }
  return findings;
}

function java(root: SgNode, text: string): RawFinding[] {
  if (!/compile|matches|replaceAll|replaceFirst|split/.test(text)) return [];
  return root
    .findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:compile|matches|replaceAll|replaceFirst|split)$' } } })
    .filter((call) => call.field('name')!.text() !== 'compile' || /(?:^|\.)Pattern$/.test(call.field('object')?.text() ?? ''))
    .flatMap((call) => {
      // The pattern is the first argument of each (`Pattern.matches(regex, input)`, `s.matches(regex)`).
      const value = stringValue(positional(call)[0]);
      return value === undefined ? [] : finding(call, unescapeString(value));
    });
}

function python(root: SgNode, text: string): RawFinding[] {
  if (!/\bre\.\w+\(|from re import|\bregex\b/.test(text)) return [];
  const imports = pythonImports(root);
  return callsTo(root, 'call', '(?:compile|match|search|fullmatch|findall|finditer|sub|subn|split)$').flatMap((call) => {
    if (!/^(?:re|regex)\.\w+$/.test(qualifyPython(call.field('function')!.text(), imports))) return [];
    const pattern = positional(call)[0];
    const value = stringValue(pattern);
    if (value === undefined) return [];
    const raw = /^[bB]?[rR]/.test(pattern!.text());
    return finding(call, raw ? value : unescapeString(value));
  });
}

export const redosRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go: () => [] };
