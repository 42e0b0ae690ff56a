// Validation and completion context for `.nyx/workflows/*.yaml`, without the vscode API (the
// editor providers map offsets to positions). Same zod schema and template checker as the server.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { checkWorkflowSteps, PROJECT_FIELDS, STEP_NAME, WorkspaceWorkflowDocument } from '#protocol/workflows.ts';

export interface YamlProblem {
  message: string;
  /** Offsets into the text. */
  start: number;
  end: number;
}

export const WORKFLOW_FILE = /(^|[\\/])\.nyx[\\/]workflows[\\/][^\\/]+\.ya?ml$/;

/** Every problem of one workflow document: YAML syntax, the schema, and the template checker. */
export function validateWorkflowYaml(text: string): YamlProblem[] {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    return document.errors.map((error) => ({ message: `YAML: ${error.message.split('\n')[0]}`, start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) }));
  }
  const parsed = WorkspaceWorkflowDocument.safeParse(document.toJS() ?? {});
  if (parsed.success) return [];
  const steps = document.toJS()?.steps as Array<{ name?: unknown }> | undefined;
  const problems: YamlProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path as Array<string | number>;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const [start, end] = rangeOf(document, path, key);
      problems.push({ message: describeIssue(path, issue.message, steps, key), start, end });
    }
  }
  // zod skips the template refinement when the shape is wrong; the checker still has things to say.
  const reported = new Set(problems.map((problem) => problem.message));
  for (const problem of checkStepsLoosely(steps)) {
    const [start, end] = rangeOf(document, ['steps', problem.index, problem.field], undefined);
    if (!reported.has(problem.message)) problems.push({ message: problem.message, start, end });
  }
  return problems.map((problem) => narrowToReference(text, problem));
}

/** A problem about `{{...}}` underlines that reference, not the whole prompt. */
function narrowToReference(text: string, problem: YamlProblem): YamlProblem {
  const expression = /\{\{([^{}]*)\}\}/.exec(problem.message)?.[1];
  if (expression === undefined) return problem;
  const pattern = new RegExp(`\\{\\{\\s*${expression.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`);
  const match = pattern.exec(text.slice(problem.start, problem.end));
  return match ? { ...problem, start: problem.start + match.index, end: problem.start + match.index + match[0].length } : problem;
}

function checkStepsLoosely(steps: unknown): ReturnType<typeof checkWorkflowSteps> {
  if (!Array.isArray(steps)) return [];
  return checkWorkflowSteps(
    steps.map((step: { name?: unknown; prompt?: unknown } | null, index) => ({
      name: typeof step?.name === 'string' ? step.name : `#${index + 1}`,
      prompt: typeof step?.prompt === 'string' ? step.prompt : '',
    })),
  );
}

/** Messages name the step (the checker's already do: "step 2 "review": ..."). */
function describeIssue(path: Array<string | number>, message: string, steps: Array<{ name?: unknown }> | undefined, unknownKey: string | undefined): string {
  if (/^step \d+ "/.test(message)) return message;
  const field = path.slice(path[0] === 'steps' && typeof path[1] === 'number' ? 2 : 0).join('.');
  const missing = /received undefined$/.test(message) && field;
  const what = unknownKey
    ? `unknown key "${unknownKey}" (allowed: ${path[0] === 'steps' ? 'name, persona, model, prompt' : 'name, description, steps'})`
    : missing
      ? `"${field}" is required`
      : `${field ? `${field}: ` : ''}${message}`;
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const name = steps?.[path[1]]?.name;
    return `step ${path[1] + 1}${typeof name === 'string' ? ` "${name}"` : ''}: ${what}`;
  }
  return what;
}

/** The range of the node at `path` (or of `key` in that map); a missing node falls back to its parent. */
function rangeOf(document: Document, path: Array<string | number>, key: string | undefined): [number, number] {
  for (let length = path.length; length >= 0; length--) {
    const node = (length === 0 ? document.contents : document.getIn(path.slice(0, length), true)) as Node | null | undefined;
    if (!node || !('range' in node) || !node.range) continue;
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]];
    }
    // A map or list spans many lines: point at its first line only.
    const [start, end] = node.range;
    return [start, isMap(node) || isSeq(node) ? Math.min(end, lineEnd(document.toString(), start)) : end];
  }
  return [0, 1];
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

export type CompletionContext =
  /** Inside `{{ ... }}`: `earlierSteps` are the names a reference may use here. */
  | { kind: 'reference'; typed: string; earlierSteps: string[] }
  /** A key of a step (name, persona, model, prompt) or of the document. */
  | { kind: 'key'; level: 'step' | 'document'; present: string[] }
  | { kind: 'persona' }
  | { kind: 'none' };

/** What may be typed at `offset`. Works on broken documents too (while typing). */
export function completionContext(text: string, offset: number): CompletionContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const names = stepNames(text);
  const stepIndex = names.filter((step) => step.offset <= offset).length - 1;
  const open = /\{\{\s*([\w.-]*)$/.exec(text.slice(Math.max(0, offset - 200), offset));
  if (open) return { kind: 'reference', typed: open[1]!, earlierSteps: names.slice(0, Math.max(0, stepIndex)).map((step) => step.name) };
  if (/^\s*persona:\s*[\w-]*$/.test(before)) return { kind: 'persona' };
  const key = /^(\s*)(-\s+)?([\w-]*)$/.exec(before);
  if (!key) return { kind: 'none' };
  const indent = key[1]!.length + (key[2]?.length ?? 0);
  if (indent === 0) return { kind: 'key', level: 'document', present: [...text.matchAll(/^(name|description|steps):/gm)].map((match) => match[1]!) };
  const step = names[stepIndex];
  const stepText = step ? text.slice(step.offset, names[stepIndex + 1]?.offset ?? text.length) : '';
  const present = key[2] ? [] : [...stepText.matchAll(/^\s*-?\s*(name|persona|model|prompt):/gm)].map((match) => match[1]!);
  return { kind: 'key', level: 'step', present };
}

/** Steps in order with where each starts (from the text, so a half-typed document still works). */
function stepNames(text: string): Array<{ name: string; offset: number }> {
  const steps: Array<{ name: string; offset: number }> = [];
  for (const match of text.matchAll(/^(\s*)-\s+(?:[\w-]+:.*\n\1\s\s)*?name:\s*["']?([^"'\s#]+)/gm)) {
    if (STEP_NAME.test(match[2]!)) steps.push({ name: match[2]!, offset: match.index });
  }
  return steps;
}

export const REFERENCE_COMPLETIONS = ['input', 'memory', 'files', ...PROJECT_FIELDS.map((field) => `project.${field}`)];
