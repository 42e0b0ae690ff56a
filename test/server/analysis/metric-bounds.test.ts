import assert from 'node:assert/strict';
import { parse } from '@ast-grep/napi';
import type { Language } from '#protocol/findings.ts';
import { astGrepLanguage } from '#server/modules/analysis/analyzers/language.ts';
import { countWords } from '#server/modules/analysis/analyzers/metric-bounds.ts';
import { analyzeMetrics, metricKinds } from '#server/modules/analysis/analyzers/metrics.ts';
import { combineKinds, NodeIndex } from '#server/modules/analysis/analyzers/node-index.ts';
import { prng } from '../helpers/prng.ts';

// The metrics skip the statement walk of functions whose word counts prove they are under the
// limits. These tests generate programs of every shape the bounds must respect (deep nesting,
// else-if chains, logical operators, ternaries, nested functions, top-level code) and check that
// skipping never changes a finding.

interface Syntax {
  language: Language;
  /** `if <condition>` opening a block, and what closes it. */
  ifOpen(condition: string, indent: string): string;
  ifClose(indent: string): string;
  /** A block of statements at `depth`, each possibly opening another block. */
  block(random: () => number, depth: number, indent: string): string;
  /** A function whose body is `body` (Python: indented under it). */
  fn(name: string, body: string, indent: string): string;
  /** A whole file from functions and top-level statements. */
  file(parts: string[]): string;
}

const PROGRAMS = 80;

const pick = <T,>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const condition = (random: () => number, and: string, or: string) =>
  pick(random, ['a', 'b > 1', `a ${and} b`, `a ${or} b ${and} c`, 'ok(x)']);

function braceBlock(lang: 'js' | 'go' | 'java'): Syntax['block'] {
  const and = '&&';
  const or = '||';
  const block: Syntax['block'] = (random, depth, indent) => {
    const lines: string[] = [];
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      const inner = () => (depth < 7 && random() < 0.7 ? block(random, depth + 1, `${indent}  `) : `${indent}  x = ${lang === 'go' ? 'f()' : 'f() ? 1 : 2'};\n`.replace(' ? 1 : 2', lang === 'js' || lang === 'java' ? ' ? 1 : 2' : ''));
      const c = condition(random, and, or);
      switch (pick(random, ['if', 'elseif', 'for', 'while', 'switch', 'try', 'plain', 'nested-fn'])) {
        case 'if':
          lines.push(lang === 'go' ? `${indent}if ${c} {\n${inner()}${indent}}\n` : `${indent}if (${c}) {\n${inner()}${indent}}\n`);
          break;
        case 'elseif':
          lines.push(
            lang === 'go'
              ? `${indent}if ${c} {\n${inner()}${indent}} else if b {\n${inner()}${indent}} else {\n${inner()}${indent}}\n`
              : `${indent}if (${c}) {\n${inner()}${indent}} else if (b) {\n${inner()}${indent}} else {\n${inner()}${indent}}\n`,
          );
          break;
        case 'for':
          lines.push(lang === 'go' ? `${indent}for i := 0; i < n; i++ {\n${inner()}${indent}}\n` : `${indent}for (let i = 0; i < n; i++) {\n${inner()}${indent}}\n`.replace('let i', lang === 'java' ? 'int i' : 'let i'));
          break;
        case 'while':
          lines.push(lang === 'go' ? `${indent}for ${c} {\n${inner()}${indent}}\n` : `${indent}while (${c}) {\n${inner()}${indent}}\n`);
          break;
        case 'switch':
          lines.push(
            lang === 'go'
              ? `${indent}switch v {\n${indent}case 1:\n${inner()}${indent}case 2:\n${inner()}${indent}default:\n${indent}  y()\n${indent}}\n`
              : `${indent}switch (v) {\n${indent}  case 1:\n${inner()}${indent}    break;\n${indent}  case 2:\n${indent}    y();\n${indent}    break;\n${indent}  default:\n${indent}    z();\n${indent}}\n`,
          );
          break;
        case 'try':
          if (lang === 'go') lines.push(`${indent}defer func() {\n${inner()}${indent}}()\n`);
          else lines.push(`${indent}try {\n${inner()}${indent}} catch (${lang === 'java' ? 'Exception ' : ''}e) {\n${inner()}${indent}}\n`);
          break;
        case 'nested-fn':
          if (lang === 'js') lines.push(`${indent}const g${depth} = (q) => {\n${inner()}${indent}};\n`);
          else if (lang === 'go') lines.push(`${indent}g := func() {\n${inner()}${indent}}\n${indent}g()\n`);
          else lines.push(`${indent}Runnable r = () -> {\n${inner()}${indent}};\n`);
          break;
        default:
          lines.push(`${indent}y(${c});\n`);
      }
    }
    return lines.join('');
  };
  return block;
}

const pythonBlock: Syntax['block'] = (random, depth, indent) => {
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const inner = () => (depth < 7 && random() < 0.7 ? pythonBlock(random, depth + 1, `${indent}    `) : `${indent}    x = 1 if a else 2\n`);
    const c = condition(random, 'and', 'or');
    switch (pick(random, ['if', 'elif', 'for', 'while', 'try', 'with', 'plain', 'nested-fn'])) {
      case 'if':
        lines.push(`${indent}if ${c}:\n${inner()}`);
        break;
      case 'elif':
        lines.push(`${indent}if ${c}:\n${inner()}${indent}elif b:\n${inner()}${indent}else:\n${inner()}`);
        break;
      case 'for':
        lines.push(`${indent}for i in [v for v in xs if v]:\n${inner()}`);
        break;
      case 'while':
        lines.push(`${indent}while ${c}:\n${inner()}`);
        break;
      case 'try':
        lines.push(`${indent}try:\n${inner()}${indent}except ValueError:\n${inner()}`);
        break;
      case 'with':
        lines.push(`${indent}with open(p) as f:\n${inner()}`);
        break;
      case 'nested-fn':
        lines.push(`${indent}def g${depth}(q):\n${inner()}`);
        break;
      default:
        lines.push(`${indent}y(${c})\n`);
    }
  }
  return lines.join('');
};

const SYNTAXES: Syntax[] = [
  { language: 'typescript', ifOpen: (c, i) => `${i}if (${c}) {\n`, ifClose: (i) => `${i}}\n`, block: braceBlock('js'), fn: (name, body) => `function ${name}(a: number, b: number) {\n${body}}\n`, file: (parts) => parts.join('\n') },
  { language: 'python', ifOpen: (c, i) => `${i}if ${c}:\n`, ifClose: (i) => `${i}    pass\n`, block: pythonBlock, fn: (name, body) => `def ${name}(a, b):\n${body}`, file: (parts) => parts.join('\n') },
  { language: 'go', ifOpen: (c, i) => `${i}if ${c} {\n`, ifClose: (i) => `${i}}\n`, block: braceBlock('go'), fn: (name, body) => `func ${name}(a, b int) {\n${body}}\n`, file: (parts) => `package p\n\n${parts.filter((p) => p.startsWith('func')).join('\n')}` },
  {
    language: 'java',
    ifOpen: (c, i) => `${i}if (${c}) {\n`,
    ifClose: (i) => `${i}}\n`,
    block: braceBlock('java'),
    fn: (name, body) => `  void ${name}(int a, int b) {\n${body}  }\n`,
    file: (parts) => `class C {\n${parts.filter((p) => p.startsWith('  void')).join('\n')}}\n`,
  },
];

function metricFindings(language: Language, text: string, exhaustive: boolean) {
  const root = parse(astGrepLanguage(language), text).root();
  const index = new NodeIndex(root, combineKinds(metricKinds(language)));
  return analyzeMetrics(root, index, language, text, { exhaustive })
    .map((f) => `${f.ruleId} ${f.range.startLine}:${f.range.startColumn} ${f.message}`)
    .sort();
}

describe('metric bounds: skipping functions that cannot break a limit', () => {
  for (const syntax of SYNTAXES) {
    it(`${syntax.language}: generated programs get the same findings as a walk of every statement`, () => {
      const random = prng(7);
      let withFindings = 0;
      for (let program = 0; program < PROGRAMS; program++) {
        const parts: string[] = [];
        const indent = syntax.language === 'python' || syntax.language === 'java' ? '    ' : '  ';
        const step = syntax.language === 'python' ? '    ' : '  ';
        const logical = syntax.language === 'python' ? 'and' : '&&';
        // Nesting with few decisions: only the nesting bound can flag it.
        const depth = 3 + Math.floor(random() * 4);
        let deep = '';
        for (let level = 0; level < depth; level++) deep += syntax.ifOpen('a', indent + step.repeat(level));
        deep += `${indent + step.repeat(depth)}${syntax.language === 'python' ? 'y()' : 'y();'}\n`;
        for (let level = depth - 1; level >= 0; level--) deep += syntax.ifClose(indent + step.repeat(level));
        parts.push(syntax.fn('deep', deep, indent));
        // Decisions without nesting (at most 4 `if`s): only the decision bound can flag it.
        let flat = '';
        const operands = 2 + Math.floor(random() * 4);
        for (let i = 2 + Math.floor(random() * 3); i > 0; i--) {
          const condition = Array.from({ length: operands }, (_, k) => `b${k}`).join(` ${logical} `);
          flat += syntax.ifOpen(condition, indent) + syntax.ifClose(indent);
        }
        parts.push(syntax.fn('flat', flat, indent));
        parts.push(syntax.fn('mixed', syntax.block(random, 2 + Math.floor(random() * 6), indent), indent));
        // Top-level statements: nesting outside functions counts too.
        if (syntax.language === 'typescript' || syntax.language === 'python') parts.push(syntax.block(random, 4, ''));
        const text = syntax.file(parts);
        const pruned = metricFindings(syntax.language, text, false);
        assert.deepEqual(pruned, metricFindings(syntax.language, text, true), `program ${program}:\n${text}`);
        if (pruned.length > 0) withFindings++;
      }
      // Both outcomes occur, so the comparison covers reported and skipped functions alike.
      assert.ok(withFindings >= PROGRAMS / 10 && withFindings <= PROGRAMS * 0.9, `${withFindings} of ${PROGRAMS} programs had findings`);
    });
  }

  it('counts words only inside the range and stops at the limit', () => {
    const words = /\b(?:if|for)\b/g;
    const text = 'if for if notif iffy for';
    assert.equal(countWords(words, text, 0, text.length, 99), 4);
    assert.equal(countWords(words, text, 3, 9, 99), 2);
    assert.equal(countWords(words, text, 0, text.length, 2), 2);
  });
});
