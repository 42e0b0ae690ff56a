import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from './project-selection.ts';
import type { ProjectsStore } from './projects-store.ts';

/** The Projects view: the tenant's projects, the one selected for this folder marked. */
export class ProjectsTree extends Disposable implements vscode.TreeDataProvider<Project> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly store: ProjectsStore;
  private readonly selection: ProjectSelection;

  constructor(store: ProjectsStore, selection: ProjectSelection) {
    super();
    this.store = store;
    this.selection = selection;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.register(selection.onDidChange(() => this.changed.fire()));
    this.register(vscode.window.createTreeView('nyx.projects', { treeDataProvider: this }));
  }

  getChildren(element?: Project): Project[] {
    return element ? [] : this.store.projects;
  }

  getTreeItem(project: Project): vscode.TreeItem {
    const selected = this.selection.current()?.id === project.id;
    const item = new vscode.TreeItem(project.name, vscode.TreeItemCollapsibleState.None);
    item.id = project.id;
    item.description = [project.github ? `${project.github.owner}/${project.github.repo}` : undefined, selected ? 'selected' : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(selected ? 'pass-filled' : 'project', selected ? new vscode.ThemeColor('charts.green') : undefined);
    item.tooltip = new vscode.MarkdownString(`**${project.name}**\n\n${project.description || 'No description'}\n\nScan path: \`${project.scanPath}\``);
    item.contextValue = selected ? 'nyx.project.selected' : 'nyx.project';
    item.command = { command: 'nyx.selectProject', title: 'Select Project', arguments: [project.id] };
    return item;
  }
}
