import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Project, ProjectCreate } from '#protocol/projects.ts';
import { registerCommand } from '../command.ts';
import { currentFolder } from './project-selection.ts';
import type { ProjectSelection } from './project-selection.ts';
import type { ProjectsStore } from './projects-store.ts';

/** "Nyx: Create Project from Workspace": name from the folder, GitHub link from its git remote. */
export function registerCreateProjectCommand(store: ProjectsStore, selection: ProjectSelection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.createProjectFromWorkspace', log, async (name?: unknown): Promise<Project | undefined> => {
    const project = await createProjectFromWorkspace(store, log, typeof name === 'string' ? name : undefined);
    if (!project) return undefined;
    await selection.select(project);
    void vscode.window.showInformationMessage(`Nyx: created project "${project.name}" for this folder.`);
    return project;
  });
}

/** Asks for the name (prefilled with the folder's) unless given; undefined when the user cancels. */
export async function createProjectFromWorkspace(store: ProjectsStore, log: vscode.LogOutputChannel, givenName?: string): Promise<Project | undefined> {
  const folder = currentFolder();
  const name =
    givenName ??
    (await vscode.window.showInputBox({
      title: 'Nyx: Create Project',
      prompt: 'Name of the new Nyx project',
      value: folder?.name ?? '',
      validateInput: (value) => (value.trim() ? undefined : 'A project needs a name'),
    }));
  if (!name) return undefined;
  const body: ProjectCreate = { name: name.trim() };
  const github = folder ? await githubRemote(folder.uri.fsPath) : undefined;
  if (github) body.github = github;
  log.info(`Creating project "${body.name}"${github ? ` linked to ${github.owner}/${github.repo}` : ''}`);
  return store.create(body);
}

/** owner/repo of the `origin` remote when it is on github.com. */
async function githubRemote(folder: string): Promise<{ owner: string; repo: string } | undefined> {
  const config = await readFile(path.join(folder, '.git', 'config'), 'utf8').catch(() => '');
  const origin = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(config)?.[1];
  const match = origin && /github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(origin);
  return match ? { owner: match[1], repo: match[2] } : undefined;
}
