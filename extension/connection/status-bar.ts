import * as vscode from 'vscode';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { ProviderStatus } from '../providers/provider-status.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { Connection } from './connection.ts';
import { describeState } from './show-actions.command.ts';

/** The status bar item: connected / offline / signed out, the project, and how many runs are active. */
export class ConnectionStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('nyx.status', vscode.StatusBarAlignment.Left, 50));
  private readonly connection: Connection;
  private readonly runs: RunsStore;
  private readonly selection: ProjectSelection;
  private readonly providers: ProviderStatus | undefined;

  constructor(connection: Connection, runs: RunsStore, selection: ProjectSelection, providers?: ProviderStatus) {
    super();
    this.connection = connection;
    this.runs = runs;
    this.selection = selection;
    this.providers = providers;
    if (providers) this.register(providers.onDidChange(() => this.render()));
    this.item.name = 'Nyx';
    this.item.command = 'nyx.showActions';
    this.register(connection.onDidChange(() => this.render()));
    this.register(runs.onDidChange(() => this.render()));
    this.register(selection.onDidChange(() => this.render()));
    this.render();
    this.item.show();
  }

  /** What the item shows (tests read it). */
  get text(): string {
    return this.item.text;
  }

  /** Its tooltip (tests read it). */
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  private render(): void {
    const state = this.connection.state;
    const active = this.runs.activeRuns.length;
    const project = this.selection.current();
    const runs = active > 0 ? ` $(sync~spin) ${active}` : '';
    const parts = [`Nyx: ${describeState(this.connection)}`];
    if (state.kind === 'connected') {
      this.item.text = `$(pass) Nyx: connected${runs}`;
      this.item.backgroundColor = undefined;
      if (project) parts.push(`project: ${project.name}`);
      parts.push(`${active} active run${active === 1 ? '' : 's'}`);
      if (this.providers) parts.push(this.providers.describe());
    } else if (state.kind === 'connecting') {
      this.item.text = '$(loading~spin) Nyx: connecting';
      this.item.backgroundColor = undefined;
    } else if (state.kind === 'offline') {
      this.item.text = '$(debug-disconnect) Nyx: offline';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = '$(sign-in) Nyx: signed out';
      this.item.backgroundColor = undefined;
    }
    this.item.tooltip = `${parts.join('\n')}\n\nClick for Nyx actions`;
    this.item.accessibilityInformation = { label: parts.join(', '), role: 'button' };
  }
}
