import type * as vscode from 'vscode';
import type { AutofixRunKind } from '#protocol/autofix.ts';

/** workspaceState key: auto-fix/refactor runs whose proposal this window has not offered yet. */
export const PENDING_AUTOFIX_RUNS_KEY = 'nyx.autofix.pendingRuns';

export interface PendingRun {
  runId: string;
  kind: AutofixRunKind;
  projectId: string;
  /** The workspace folder the run's paths are relative to. */
  folderUri: string;
  title: string;
}

/**
 * Remembers runs until their proposal was offered, so a window reloaded mid-run picks them up
 * again and still offers the diff when they finish. Memento.update changes the value at once.
 */
export class PendingRuns {
  private readonly state: vscode.Memento;

  constructor(state: vscode.Memento) {
    this.state = state;
  }

  all(): PendingRun[] {
    return Object.values(this.state.get<Record<string, PendingRun>>(PENDING_AUTOFIX_RUNS_KEY) ?? {});
  }

  add(run: PendingRun): void {
    void this.state.update(PENDING_AUTOFIX_RUNS_KEY, { ...this.entries(), [run.runId]: run });
  }

  remove(runId: string): void {
    const entries = this.entries();
    delete entries[runId];
    void this.state.update(PENDING_AUTOFIX_RUNS_KEY, entries);
  }

  private entries(): Record<string, PendingRun> {
    return { ...(this.state.get<Record<string, PendingRun>>(PENDING_AUTOFIX_RUNS_KEY) ?? {}) };
  }
}
