import * as vscode from 'vscode';
import type { MemorySearchHit } from '#protocol/memory.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { selectedProjectOrAsk } from '../notes/selected-project.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import { pickMemoryHit } from './memory-search-pick.ts';

/**
 * "Nyx: Search Project Memory...": the search quick pick (an argument fills the query). A picked
 * note opens like in the Notes view; a memory entry or other item is shown in full. Answers the
 * picked hit.
 */
export function registerSearchMemoryCommand(connection: Connection, selection: ProjectSelection, onHits: (hits: MemorySearchHit[]) => void, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.searchMemory', log, async (query?: string): Promise<MemorySearchHit | undefined> => {
    connection.requireClient();
    const project = await selectedProjectOrAsk(selection);
    if (!project) return undefined;
    const hit = await pickMemoryHit(connection, project, query ?? '', onHits, log);
    if (!hit) return undefined;
    if (hit.type === 'note') {
      void vscode.commands.executeCommand('nyx.openNote', hit.id);
    } else if (hit.type === 'memory') {
      const entry = await connection.requireClient().getMemoryEntry(hit.id);
      void vscode.window.showInformationMessage(`${entry.kind[0]!.toUpperCase()}${entry.kind.slice(1)} (${entry.source}, ${new Date(entry.createdAt).toLocaleDateString()}): ${entry.text}`);
    } else {
      void vscode.window.showInformationMessage(`${hit.title}: ${hit.snippet}`);
    }
    return hit;
  });
}
