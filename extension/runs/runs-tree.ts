import * as vscode from 'vscode';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { Run, RunStatus } from '#protocol/runs.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from './runs-store.ts';

const STATUS_ICONS: Record<RunStatus, [icon: string, color?: string]> = {
  pending: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
};

/** The Runs view: recent runs of the selected project (all of the tenant's when none is), live. */
export class RunsTree extends Disposable implements vscode.TreeDataProvider<Run> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly store: RunsStore;
  private readonly selection: ProjectSelection;

  constructor(store: RunsStore, selection: ProjectSelection) {
    super();
    this.store = store;
    this.selection = selection;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.register(selection.onDidChange(() => this.changed.fire()));
    const view = this.register(vscode.window.createTreeView('nyx.runs', { treeDataProvider: this }));
    const showActive = () => {
      const active = store.activeRuns.length;
      view.badge = active > 0 ? { value: active, tooltip: `${active} active run${active === 1 ? '' : 's'}` } : undefined;
    };
    this.register(store.onDidChange(showActive));
  }

  getChildren(element?: Run): Run[] {
    if (element) return [];
    const projectId = this.selection.current()?.id;
    return projectId ? this.store.runs.filter((run) => run.projectId === projectId) : this.store.runs;
  }

  getTreeItem(run: Run): vscode.TreeItem {
    const [icon, color] = STATUS_ICONS[run.status];
    const item = new vscode.TreeItem(run.kind, vscode.TreeItemCollapsibleState.None);
    item.id = run.id;
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.description = describeRun(run);
    item.tooltip = new vscode.MarkdownString(
      [`**${run.kind}** · ${run.status}`, run.progressMessage ?? '', run.error ? `Error: ${run.error}` : '', `Started ${new Date(run.createdAt).toLocaleString()}`, `\`${run.id}\``]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.contextValue = isFinalRunStatus(run.status) ? 'nyx.run.final' : 'nyx.run.active';
    item.command = { command: 'nyx.openRun', title: 'Open Run', arguments: [run.id] };
    item.accessibilityInformation = { label: `${run.kind} run, ${describeRun(run)}` };
    return item;
  }
}

export function describeRun(run: Run): string {
  if (run.status === 'running') return `running ${Math.round(run.progress * 100)}%${run.progressMessage ? ` · ${run.progressMessage}` : ''}`;
  if (run.status === 'failed' && run.error) return `failed · ${run.error}`;
  return run.status;
}
