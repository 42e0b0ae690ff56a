import path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { workflowRoutes } from '#protocol/workflows.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { isWorkflowDocument } from './workflow-diagnostics.ts';
import { validateWorkflowYaml } from './workflow-yaml.ts';

export interface SyncResult {
  items: Array<{ name: string; id: string; version: number; status: 'created' | 'updated' | 'unchanged' }>;
}

/** Every `.nyx/workflows/*.yaml` of the workspace by name (file name without the extension). */
async function readWorkspaceWorkflows(): Promise<{ workflows: Record<string, unknown>; problems: string[] }> {
  const files = await vscode.workspace.findFiles('**/.nyx/workflows/*.{yaml,yml}', '**/node_modules/**', 200);
  const workflows: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const name = path.posix.basename(uri.path).replace(/\.ya?ml$/, '');
    const found = validateWorkflowYaml(text);
    if (found.length > 0) problems.push(`${vscode.workspace.asRelativePath(uri)}: ${found[0]!.message}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`);
    else workflows[name] = parse(text);
  }
  return { workflows, problems };
}

/**
 * "Nyx: Sync Workflows": PUT /api/v1/workflows/sync with the workspace's workflow files. The
 * server takes all or nothing, so a file with errors stops the sync and is named. Also runs when
 * a workflow file is saved (quietly, when connected).
 */
export function registerSyncWorkflowsCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.syncWorkflows', log, async (options?: { quiet?: boolean }): Promise<SyncResult | undefined> => {
    const client = connection.requireClient();
    const { workflows, problems } = await readWorkspaceWorkflows();
    if (problems.length > 0) throw new Error(`Fix the workflow files first, nothing was synced: ${problems.join('; ')}`);
    const count = Object.keys(workflows).length;
    if (count === 0) {
      if (!options?.quiet) void vscode.window.showInformationMessage('Nyx: no workflow files in .nyx/workflows/ to sync.');
      return { items: [] };
    }
    const result = await client.call(workflowRoutes.sync, { body: { workflows: workflows as never } });
    const changed = result.items.filter((item) => item.status !== 'unchanged');
    const summary = changed.length ? changed.map((item) => `${item.name} (${item.status}, v${item.version})`).join(', ') : 'all unchanged';
    log.info(`Synced ${count} workflow${count === 1 ? '' : 's'}: ${summary}`);
    if (options?.quiet) vscode.window.setStatusBarMessage(`$(cloud-upload) Nyx workflows synced: ${summary}`, 5_000);
    else void vscode.window.showInformationMessage(`Nyx: synced ${count} workflow${count === 1 ? '' : 's'}: ${summary}.`);
    return result;
  });
}

/** Saving a valid workflow file syncs the workspace's workflows; errors stay in the Problems view. */
export class SyncWorkflowsOnSave extends Disposable {
  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.register(
      vscode.workspace.onDidSaveTextDocument(async (document) => {
        if (!isWorkflowDocument(document) || connection.state.kind !== 'connected') return;
        if (validateWorkflowYaml(document.getText()).length > 0) return;
        log.info(`${vscode.workspace.asRelativePath(document.uri)} saved: syncing workflows`);
        await vscode.commands.executeCommand('nyx.syncWorkflows', { quiet: true });
      }),
    );
  }
}
