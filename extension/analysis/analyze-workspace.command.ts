import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import { whenTrusted } from '../trust.ts';
import type { Connection } from '../connection/connection.ts';
import { currentFolder } from '../projects/project-selection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { AnalysisOutcome, WorkspaceAnalyzer } from './workspace-analyzer.ts';

export interface AnalyzeWorkspaceOptions {
  /** The workspace folder to analyze; default: the active editor's, else the first. */
  folder?: vscode.Uri;
}

/**
 * "Nyx: Analyze Workspace": snapshot the folder (only files the server lacks are uploaded), run the
 * built-in analyzers on the server, and show the findings as diagnostics. Resolves when the run ended.
 */
export function registerAnalyzeWorkspaceCommand(connection: Connection, selection: ProjectSelection, analyzer: WorkspaceAnalyzer, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.analyzeWorkspace', log, async (options?: AnalyzeWorkspaceOptions): Promise<AnalysisOutcome | undefined> => {
    if (!(await whenTrusted('analyze this folder (it uploads its files)'))) return undefined;
    const client = connection.requireClient();
    const folder = options?.folder ? vscode.workspace.getWorkspaceFolder(options.folder) : currentFolder();
    if (!folder) throw new Error('Open a folder to analyze it: Nyx analyzes the files of a workspace folder.');
    if (!selection.current(folder)) await vscode.commands.executeCommand('nyx.selectProject');
    const project = selection.current(folder);
    if (!project) return undefined;
    const outcome = await analyzer.analyze(client, folder, project);
    if (outcome?.done?.status === 'succeeded' && outcome.result) {
      const { findings, opened, fixed, analyzed, cacheHits } = outcome.result;
      log.info(`Analysis of ${folder.name}: ${findings} findings (${opened} new, ${fixed} fixed); ${analyzed} files analyzed, ${cacheHits} from the cache`);
    }
    return outcome;
  });
}
