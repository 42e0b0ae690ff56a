// The messages an autofix/refactor model call gets: the persona's system prompt and the task, then
// the files (verbatim: search texts are copied from them), the findings or the instruction, and
// the project's recurring patterns and memory.
import type { RefactorRange } from '#protocol/autofix.ts';
import type { IFinding } from '#server/modules/analysis/finding.entity.ts';
import type { BaseFile, ModelContext } from './context.ts';

/** When no persona is chosen (or it has no prompt of its own). */
export const FALLBACK_SYSTEM_PROMPT = 'You are a careful senior software engineer on a team that reviews every change before it lands.';

const RULES = [
  'Change only the files given below; a change to any other file is rejected.',
  'Keep everything you do not need to change exactly as it is: formatting, comments, line endings, naming.',
  'Prefer small edits: each search text is copied exactly from the file (whole lines, enough of them to be unique), each replace text is what goes in its place.',
  'Use newContent only when most of a file changes. The result must still compile/parse.',
];

export function systemPrompt(context: ModelContext, task: string): string {
  const persona = context.persona?.systemPrompt.trim() || FALLBACK_SYSTEM_PROMPT;
  return [persona, '', task, ...RULES.map((rule) => `- ${rule}`)].join('\n');
}

export function renderFiles(files: readonly BaseFile[]): string {
  return files.map((file) => `<file path="${file.path}">\n${file.text}\n</file>`).join('\n\n');
}

export function renderFindings(findings: readonly IFinding[]): string {
  return findings
    .map((f) => {
      const hint = f.fix ? ` Suggested: ${f.fix.description}.` : '';
      return `- [${f.severity}] ${f.ruleId} at ${f.path}:${f.startLine}:${f.startColumn}: ${f.message}${hint}\n  code: ${f.snippet}`;
    })
    .join('\n');
}

function renderBackground(context: ModelContext): string {
  const parts: string[] = [];
  if (context.patterns.length) {
    parts.push(
      '## Recurring issues in this project',
      ...context.patterns.map((p) => `- ${p.title} (${p.ruleId}): ${p.count} open; e.g. ${p.examples.slice(0, 2).map((e) => `${e.path}:${e.line} \`${e.snippet}\``).join(', ')}`),
    );
  }
  if (context.memory.length) {
    parts.push('## Project memory (decisions and conventions to respect)', ...context.memory.map((hit) => `- ${hit.title}: ${hit.snippet}`));
  }
  return parts.join('\n');
}

export function autofixMessage(files: readonly BaseFile[], findings: readonly IFinding[], context: ModelContext): string {
  return [
    '## Files',
    renderFiles(files),
    '## Findings to fix',
    renderFindings(findings),
    renderBackground(context),
    'Fix every finding above with the smallest correct change.',
  ].filter(Boolean).join('\n\n');
}

/** The selected text of a refactor's range, for the model to see exactly what "this" means. */
function renderRange(files: readonly BaseFile[], range: RefactorRange): string {
  const file = files.find((f) => f.path === (range.path ?? files[0]!.path)) ?? files[0]!;
  const lines = file.text.split('\n').slice(range.startLine - 1, range.endLine);
  return `## Focus\n${file.path}, lines ${range.startLine}-${range.endLine}:\n${lines.join('\n')}`;
}

export function refactorMessage(files: readonly BaseFile[], instruction: string, range: RefactorRange | undefined, context: ModelContext): string {
  return [
    '## Files',
    renderFiles(files),
    range ? renderRange(files, range) : '',
    renderBackground(context),
    `## Instruction\n${instruction}`,
  ].filter(Boolean).join('\n\n');
}

export const AUTOFIX_TASK = 'Your task: fix the listed code-analysis findings in the given files.';
export const REFACTOR_TASK = 'Your task: refactor the given files as the instruction says, keeping their behaviour unless the instruction asks otherwise.';
