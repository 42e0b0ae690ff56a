import * as vscode from 'vscode';
import type { Severity } from '#protocol/findings.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { FindingsStore } from './findings-store.ts';

/** A status bar item next to the connection's: open findings of the folders' projects by severity; click shows the Findings view. */
export class FindingsStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('nyx.findings', vscode.StatusBarAlignment.Left, 49));
  private readonly store: FindingsStore;
  private readonly connection: Connection;

  constructor(store: FindingsStore, connection: Connection) {
    super();
    this.store = store;
    this.connection = connection;
    this.item.name = 'Nyx Findings';
    this.item.command = 'nyx.findings.focus';
    this.register(store.onDidChange(() => this.render()));
    this.register(connection.onDidChange(() => this.render()));
    this.render();
  }

  /** What the item shows (tests read it). */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const watched = this.store.watched();
    if (this.connection.state.kind !== 'connected' || watched.length === 0) {
      this.item.hide();
      return;
    }
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const { project } of watched) for (const finding of this.store.findingsOf(project.id)) counts[finding.severity]++;
    const total = counts.error + counts.warning + counts.info;
    this.item.text = `$(error) ${counts.error} $(warning) ${counts.warning} $(info) ${counts.info}`;
    const summary = `Nyx findings: ${counts.error} error${plural(counts.error)}, ${counts.warning} warning${plural(counts.warning)}, ${counts.info} info`;
    this.item.tooltip = `${summary}\n${watched.map((entry) => `${entry.folder.name}: ${entry.project.name}`).join('\n')}\n\nClick to show the Findings view`;
    this.item.accessibilityInformation = { label: `${summary} (${total} open)`, role: 'button' };
    this.item.show();
  }
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}
