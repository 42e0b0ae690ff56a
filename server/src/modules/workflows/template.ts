import { TEMPLATE_TAG, parseReference, templateReferences, type ProjectField, type WorkflowStep } from '#protocol/workflows.ts';
import type { ContextFile } from '#protocol/discussions.ts';
import { renderFiles } from '#server/modules/discussions/prompts.ts';
import type { InjectedContextEntry } from './step-output.entity.ts';

/** An earlier step's output is injected up to this many characters (then marked as cut). */
export const MAX_INJECTED_OUTPUT_CHARS = 8_000;

export interface TemplateScope {
  input: string;
  files: readonly ContextFile[];
  project: Record<ProjectField, string>;
  /** Rendered `{{memory}}`: the project's most relevant workflow insights. */
  memory: string;
  /** Rendered `{{policies}}`: the team's policy clauses relevant to the input; null when the team has no policies. */
  policies: string | null;
  /** Outputs of the steps before this one, in order. */
  earlier: readonly { name: string; output: string }[];
}

export interface RenderedStep {
  prompt: string;
  injected: InjectedContextEntry[];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... ${text.length - max} more characters cut]`;
}

/** Does the template need `{{memory}}`? (Only then is the input embedded and insights searched.) */
export function usesMemory(step: WorkflowStep): boolean {
  return templateReferences(step.prompt).some((reference) => reference.kind === 'memory');
}

/**
 * Fills a step's template, then adds the automatic context (docs/team.md, "Automatic context"):
 * when the template references no earlier step, the step also gets
 *   1. "## Project": name and description, unless it references {{project.*}};
 *   2. "## Input": the run's input, unless it references {{input}} or the input is empty;
 *   3. "## Earlier steps": every earlier step's output (each cut at 8,000 characters);
 *   4. "## Policies": the team's clauses relevant to the input, when it has policies, unless it
 *      references {{policies}}.
 * A template that references an earlier step gets exactly what it asked for. References were
 * validated when the workflow was saved, so every tag here resolves.
 */
export function renderStep(step: WorkflowStep, scope: TemplateScope): RenderedStep {
  const outputs = new Map(scope.earlier.map((entry) => [entry.name, entry.output]));
  const body = step.prompt.replace(TEMPLATE_TAG, (_tag, expression: string) => {
    const reference = parseReference(expression);
    switch (reference.kind) {
      case 'input':
        return scope.input;
      case 'files':
        return scope.files.length ? renderFiles(scope.files) : '(no files)';
      case 'memory':
        return scope.memory;
      case 'policies':
        return scope.policies ?? '(the team has no policies)';
      case 'project':
        return scope.project[reference.field];
      case 'step':
        return outputs.get(reference.step) ?? '';
      default:
        return reference.raw;
    }
  });
  const references = templateReferences(step.prompt);
  if (references.some((reference) => reference.kind === 'step')) return { prompt: body, injected: [] };

  const injected: InjectedContextEntry[] = [];
  const before: string[] = [];
  const after: string[] = [];
  if (!references.some((reference) => reference.kind === 'project')) {
    const project = `## Project\nName: ${scope.project.name}${scope.project.description ? `\nDescription: ${scope.project.description}` : ''}`;
    before.push(project);
    injected.push({ kind: 'project', chars: project.length });
  }
  if (scope.input && !references.some((reference) => reference.kind === 'input')) {
    const input = `## Input\n${scope.input}`;
    after.push(input);
    injected.push({ kind: 'input', chars: input.length });
  }
  if (scope.earlier.length) {
    const sections = scope.earlier.map((entry) => {
      const text = `### ${entry.name}\n${cut(entry.output, MAX_INJECTED_OUTPUT_CHARS)}`;
      injected.push({ kind: 'step-output', step: entry.name, chars: text.length });
      return text;
    });
    after.push(`## Earlier steps\n${sections.join('\n\n')}`);
  }
  if (scope.policies && !references.some((reference) => reference.kind === 'policies')) {
    const policies = `## Policies\nClauses of the team's policies that bear on this (cite them by document and number):\n${scope.policies}`;
    after.push(policies);
    injected.push({ kind: 'policies', chars: policies.length });
  }
  return { prompt: [...before, body, ...after].join('\n\n'), injected };
}
