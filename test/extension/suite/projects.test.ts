// Projects: selection per workspace folder, the Projects view, creating one from the workspace.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import { callServer, ensureConnected, uniqueName } from './helpers.ts';

describe('Projects', () => {
  it('selects a project created through the API by id, remembers it and marks it in the Projects view', async () => {
    const api = await ensureConnected();
    const created = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Selected') });

    const selected = await vscode.commands.executeCommand<Project>('nyx.selectProject', created.id);
    assert.equal(selected?.id, created.id);
    assert.deepEqual(api.selection.current(), { id: created.id, name: created.name });

    const children = api.projectsTree.getChildren();
    const node = children.find((project) => project.id === created.id);
    assert.ok(node, 'the new project is not in the Projects view');
    const item = api.projectsTree.getTreeItem(node);
    assert.equal(item.label, created.name);
    assert.match(String(item.description), /selected/);
    assert.deepEqual(item.command?.arguments, [created.id]);
    const others = children.filter((project) => project.id !== created.id).map((project) => api.projectsTree.getTreeItem(project));
    assert.ok(others.every((other) => !String(other.description).includes('selected')), 'only one project is selected');
  });

  it('refuses an unknown project id and keeps the selection', async () => {
    const api = await ensureConnected();
    const before = api.selection.current();
    const result = await vscode.commands.executeCommand('nyx.selectProject', '00000000-0000-4000-8000-000000000000');
    assert.equal(result, undefined);
    assert.deepEqual(api.selection.current(), before);
  });

  it('creates a project from the workspace, on the server, and selects it', async () => {
    const api = await ensureConnected();
    const name = uniqueName('From workspace');
    const project = await vscode.commands.executeCommand<Project>('nyx.createProjectFromWorkspace', name);
    assert.equal(project?.name, name);
    const onServer = await callServer<{ items: Project[] }>('GET', '/api/v1/projects');
    assert.ok(onServer.items.some((item) => item.id === project.id && item.name === name));
    assert.equal(api.selection.current()?.id, project.id);
    assert.ok(api.projectsTree.getChildren().some((item) => item.id === project.id));
  });
});
