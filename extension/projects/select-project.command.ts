import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import { registerCommand } from '../command.ts';
import { createProjectFromWorkspace } from './create-project.command.ts';
import type { ProjectSelection } from './project-selection.ts';
import type { ProjectsStore } from './projects-store.ts';

type ProjectPick = vscode.QuickPickItem & { project?: Project; createNew?: true };

/**
 * "Nyx: Select Project": a quick pick of the tenant's projects plus "Create new…". Called with a
 * project id (tree items, tests), it selects that project without asking.
 */
export function registerSelectProjectCommand(store: ProjectsStore, selection: ProjectSelection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.selectProject', log, async (projectId?: unknown): Promise<Project | undefined> => {
    const projects = await store.reload();
    let project: Project | undefined;
    if (typeof projectId === 'string') {
      project = projects.find((candidate) => candidate.id === projectId);
      if (!project) throw new Error(`There is no project ${projectId} on this server (it may have been deleted).`);
    } else {
      const selectedId = selection.current()?.id;
      const items: ProjectPick[] = [
        ...projects.map((candidate) => ({
          label: candidate.name,
          description: [candidate.github ? `${candidate.github.owner}/${candidate.github.repo}` : undefined, candidate.id === selectedId ? 'selected' : undefined].filter(Boolean).join(' · '),
          detail: candidate.description || undefined,
          project: candidate,
        })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(add) Create new…', createNew: true, alwaysShow: true },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Nyx: Select Project', placeHolder: 'The Nyx project this folder works on', matchOnDescription: true });
      if (!picked) return undefined;
      project = picked.createNew ? await createProjectFromWorkspace(store, log) : picked.project;
      if (!project) return undefined;
    }
    await selection.select(project);
    log.info(`Selected project "${project.name}" (${project.id})`);
    return project;
  });
}
