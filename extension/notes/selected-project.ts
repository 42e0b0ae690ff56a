import * as vscode from 'vscode';
import type { ProjectSelection, SelectedProject } from '../projects/project-selection.ts';

/**
 * The project a knowledge command works on (notes, memory, digests): the folder's selected one,
 * else the one the user picks now. Undefined when they picked none.
 */
export async function selectedProjectOrAsk(selection: ProjectSelection, folder?: vscode.WorkspaceFolder): Promise<SelectedProject | undefined> {
  const current = selection.current(folder);
  if (current) return current;
  await vscode.commands.executeCommand('nyx.selectProject');
  return selection.current(folder);
}
