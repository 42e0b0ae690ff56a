import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import { Disposable } from '../lifecycle.ts';

/** What is remembered per workspace folder: the id, plus the name to show without asking the server. */
export interface SelectedProject {
  id: string;
  name: string;
}

/**
 * The Nyx project each workspace folder works on, remembered in workspaceState. The folder is the
 * one of the active editor, else the first folder of the window.
 */
export class ProjectSelection extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<SelectedProject | undefined>());
  readonly onDidChange = this.changed.event;
  private readonly workspaceState: vscode.Memento;

  constructor(workspaceState: vscode.Memento) {
    super();
    this.workspaceState = workspaceState;
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.changed.fire(this.current())));
    void this.updateContext();
  }

  current(folder = currentFolder()): SelectedProject | undefined {
    return this.workspaceState.get<SelectedProject>(keyFor(folder));
  }

  async select(project: Pick<Project, 'id' | 'name'>, folder = currentFolder()): Promise<void> {
    await this.workspaceState.update(keyFor(folder), { id: project.id, name: project.name });
    await this.updateContext();
    this.changed.fire(this.current());
  }

  /** Forgets a selection whose project no longer exists. */
  async forget(folder = currentFolder()): Promise<void> {
    await this.workspaceState.update(keyFor(folder), undefined);
    await this.updateContext();
    this.changed.fire(undefined);
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'nyx.projectSelected', this.current() !== undefined);
  }
}

export function currentFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

function keyFor(folder: vscode.WorkspaceFolder | undefined): string {
  return `nyx.project:${folder ? folder.uri.toString() : '(no folder)'}`;
}
