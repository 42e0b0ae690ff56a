// A patch must not break the parse of a file the analyzers understand. Tree-sitter (through
// ast-grep) always yields a tree; broken code shows as ERROR nodes and as zero-width MISSING
// leaves (a `)` or `}` the parser had to invent). A file that had such problems before the patch
// may keep them: only problems the patch adds count.
import { parse, type SgNode } from '@ast-grep/napi';
import type { Language } from '#protocol/findings.ts';
import { MAX_PARSED_BYTES } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { astGrepLanguage, detectLanguage } from '#server/modules/analysis/analyzers/language.ts';
import { PatchRejected } from './patch.ts';

export interface SyntaxProblem {
  line: number;
  what: string;
}

export function syntaxProblems(language: Language, text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: SgNode) => {
    const { start, end } = node.range();
    const children = node.children();
    if (node.kind() === 'ERROR') problems.push({ line: start.line + 1, what: 'unexpected code' });
    else if (children.length === 0 && start.index === end.index && node.text() === '' && node.kind() !== '') {
      problems.push({ line: start.line + 1, what: `missing ${JSON.stringify(String(node.kind()))}` });
    }
    for (const child of children) visit(child);
  };
  for (const child of parse(astGrepLanguage(language), text).root().children()) visit(child);
  return problems;
}

export interface SyntaxVerdict {
  language: Language | null;
  checked: boolean;
}

/** Throws PatchRejected when the new text has more syntax problems than the base text. */
export function checkSyntax(path: string, base: string, next: string): SyntaxVerdict {
  const language = detectLanguage(path) ?? null;
  if (!language || next.length > MAX_PARSED_BYTES || base.length > MAX_PARSED_BYTES) return { language, checked: false };
  const before = syntaxProblems(language, base);
  const after = syntaxProblems(language, next);
  if (after.length > before.length) {
    const known = new Set(before.map((problem) => problem.what));
    const first = after.find((problem) => !known.has(problem.what)) ?? after[0]!;
    throw new PatchRejected(`the patched ${path} does not parse as ${language}: ${first.what} at line ${first.line} (${after.length} syntax problem(s), ${before.length} before the patch)`, path);
  }
  return { language, checked: true };
}
