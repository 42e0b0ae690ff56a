import * as vscode from 'vscode';
import type { MemoryEntry, MemoryKind } from '#protocol/memory.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { selectedProjectOrAsk } from '../notes/selected-project.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';

const KINDS: Array<vscode.QuickPickItem & { memoryKind: MemoryKind }> = [
  { memoryKind: 'decision', label: '$(law) Decision', description: 'Something the team chose, and why' },
  { memoryKind: 'convention', label: '$(symbol-ruler) Convention', description: 'How things are done in this project' },
  { memoryKind: 'fact', label: '$(info) Fact', description: 'Something true about the project or its environment' },
];

/**
 * "Nyx: Remember...": adds a memory entry (decision, convention or fact) to the selected project;
 * the text starts as the editor's selection. Arguments skip the questions. Answers the entry.
 */
export function registerRememberCommand(connection: Connection, selection: ProjectSelection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.remember', log, async (kind?: MemoryKind, text?: string): Promise<MemoryEntry | undefined> => {
    const client = connection.requireClient();
    const project = await selectedProjectOrAsk(selection);
    if (!project) return undefined;
    const chosen = kind ?? (await vscode.window.showQuickPick(KINDS, { title: `Nyx: Remember in ${project.name}`, placeHolder: 'What kind of knowledge?' }))?.memoryKind;
    if (!chosen) return undefined;
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
    const written = text ?? (await vscode.window.showInputBox({
      title: `Nyx: Remember a ${chosen}`,
      prompt: 'Enrichments and searches of this project will find it.',
      value: selected.slice(0, 10_000),
      validateInput: (value) => (value.trim() ? undefined : 'Write what to remember'),
    }));
    if (!written?.trim()) return undefined;
    const entry = await client.remember(project.id, { kind: chosen, text: written.trim() });
    log.info(`Remembered ${chosen} ${entry.id} in ${project.name}`);
    if (text === undefined) void vscode.window.showInformationMessage(`Nyx: remembered this ${chosen} for ${project.name}.`);
    return entry;
  });
}
