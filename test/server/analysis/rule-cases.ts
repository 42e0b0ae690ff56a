import assert from 'node:assert/strict';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';

/** One snippet and how many findings of `rule` it must produce (0: the safe twin). */
export interface RuleCase {
  name: string;
  path: string;
  code: string;
  rule: string;
  expected: number;
}

export const vulnerable = (name: string, path: string, code: string, rule: string, expected = 1): RuleCase => ({ name, path, code, rule, expected });
export const safe = (name: string, path: string, code: string, rule: string): RuleCase => ({ name, path, code, rule, expected: 0 });

/** Registers one mocha test per case: vulnerable cases must be found, safe twins must not. */
export function describeCases(cases: readonly RuleCase[]): void {
  for (const c of cases) {
    it(`${c.expected ? 'reports' : 'spares'} ${c.name} (${c.path})`, () => {
      const findings = analyzeFile({ path: c.path, content: c.code }).filter((f) => f.ruleId === c.rule);
      assert.equal(findings.length, c.expected, `${c.rule} on:\n${c.code}\ngot ${JSON.stringify(findings.map((f) => [f.range.startLine, f.message]))}`);
    });
  }
}
