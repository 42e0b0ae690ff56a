import * as vscode from 'vscode';
import type { PersonasStore } from '../personas/personas-store.ts';
import { REFERENCE_COMPLETIONS, completionContext } from './workflow-yaml.ts';

const STEP_KEYS: Record<string, string> = {
  name: 'A letter, then letters, digits, "-" or "_"; later steps refer to it as {{steps.<name>.output}}',
  persona: 'A built-in persona key (e.g. security-auditor) or a persona id',
  model: 'A model id; default: the persona\'s default model',
  prompt: 'The template: {{input}}, {{steps.<name>.output}}, {{project.name}}, {{memory}}, {{files}}',
};
const DOCUMENT_KEYS: Record<string, string> = {
  name: 'Defaults to the file name',
  description: 'Shown when picking the workflow',
  steps: 'The ordered steps',
};
const REFERENCE_DOCS: Record<string, string> = {
  input: "The run's input text",
  memory: "The 5 workflow insights of the project nearest to the input",
  files: "The run's files as fenced blocks",
};

/**
 * Completion in `.nyx/workflows/*.yaml`: step and document keys, built-in persona keys after
 * `persona:`, and inside `{{` the references a step may use: earlier steps' outputs, input,
 * project fields, memory and files.
 */
export function registerWorkflowCompletion(personas: PersonasStore): vscode.Disposable {
  const selector: vscode.DocumentSelector = [
    { pattern: '**/.nyx/workflows/*.yaml' },
    { pattern: '**/.nyx/workflows/*.yml' },
  ];
  return vscode.languages.registerCompletionItemProvider(
    selector,
    {
      async provideCompletionItems(document, position) {
        const context = completionContext(document.getText(), document.offsetAt(position));
        if (context.kind === 'reference') {
          const typedStart = position.translate(0, -context.typed.length);
          const range = new vscode.Range(typedStart, position);
          const references = [...context.earlierSteps.map((name) => `steps.${name}.output`), ...REFERENCE_COMPLETIONS];
          return references.map((reference, order) => {
            const item = new vscode.CompletionItem(reference, reference.startsWith('steps.') ? vscode.CompletionItemKind.Reference : vscode.CompletionItemKind.Variable);
            item.range = range;
            item.sortText = String(order).padStart(3, '0');
            item.detail = reference.startsWith('steps.') ? `Output of the earlier step "${reference.split('.')[1]}"` : (REFERENCE_DOCS[reference] ?? `The project's ${reference.slice('project.'.length)}`);
            // Close the tag when it is not closed yet.
            if (!document.lineAt(position.line).text.slice(position.character).trimStart().startsWith('}}')) item.insertText = `${reference}}}`;
            return item;
          });
        }
        if (context.kind === 'key') {
          const keys = context.level === 'step' ? STEP_KEYS : DOCUMENT_KEYS;
          return Object.entries(keys)
            .filter(([key]) => !context.present.includes(key))
            .map(([key, detail]) => {
              const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
              item.detail = detail;
              item.insertText = key === 'steps' ? new vscode.SnippetString('steps:\n  - name: $1\n    persona: $2\n    prompt: $0') : key === 'prompt' ? new vscode.SnippetString('prompt: |\n  $0') : `${key}: `;
              return item;
            });
        }
        if (context.kind === 'persona') {
          const list = await personas.list().catch(() => []);
          return list.map((persona) => {
            const item = new vscode.CompletionItem(persona.builtInKey ?? persona.id, vscode.CompletionItemKind.Value);
            item.detail = `${persona.name} — ${persona.role}`;
            item.documentation = persona.description;
            return item;
          });
        }
        return undefined;
      },
    },
    '{',
    '.',
    ' ',
  );
}
