import * as vscode from 'vscode';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { Run, RunStatus } from '#protocol/runs.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from './runs-store.ts';
import { plainText } from '#protocol/markdown-text.ts';
import { formatDuration, relativeTime, runDuration } from './run-times.ts';

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
    // "2 min ago" and the running time age: repaint the rows once a minute while the view shows.
    const tick = setInterval(() => view.visible && this.store.runs.length > 0 && this.changed.fire(), 60_000);
    this.register({ dispose: () => clearInterval(tick) });
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
      [
        `**${run.kind}** · ${run.status}`,
        run.progressMessage ?? '',
        run.error ? `Error: ${run.error}` : '',
        `Created ${new Date(run.createdAt).toLocaleString()} (${relativeTime(run.createdAt)})`,
        durationLine(run),
        `\`${run.id}\``,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.contextValue = isFinalRunStatus(run.status) ? 'nyx.run.final' : 'nyx.run.active';
    item.command = { command: 'nyx.openRun', title: 'Open Run', arguments: [run.id] };
    item.accessibilityInformation = { label: `${run.kind} run, ${describeRun(run)}` };
    return item;
  }
}

/**
 * The row's description: when, how long, and the state. "2 min ago · 14 s · succeeded",
 * "just now · running 40% · step 2". Markdown in messages is shown as plain text.
 */
export function describeRun(run: Run, now = Date.now()): string {
  const when = relativeTime(run.createdAt, now);
  const took = runDuration(run, now);
  if (run.status === 'running') return `${when} · running ${Math.round(run.progress * 100)}%${took !== undefined ? ` for ${formatDuration(took)}` : ''}${run.progressMessage ? ` · ${plainText(run.progressMessage)}` : ''}`;
  const parts = [when, took !== undefined && run.finishedAt ? formatDuration(took) : '', run.status === 'failed' && run.error ? `failed · ${plainText(run.error)}` : run.status];
  return parts.filter(Boolean).join(' · ');
}

function durationLine(run: Run): string {
  const took = runDuration(run);
  if (took === undefined) return 'Not started yet';
  return run.finishedAt ? `Took ${formatDuration(took)}` : `Running for ${formatDuration(took)}`;
}
