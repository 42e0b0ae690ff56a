import type * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { FindingsGrouping, FindingsTree } from './findings-tree.ts';

/** "Nyx: Toggle Findings Grouping": by file then severity, or by severity then file. Takes the grouping to set. */
export function registerToggleFindingsGroupingCommand(tree: FindingsTree, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.toggleFindingsGrouping', log, (grouping?: FindingsGrouping): FindingsGrouping => {
    tree.setGrouping(grouping ?? (tree.grouping === 'file' ? 'severity' : 'file'));
    return tree.grouping;
  });
}
