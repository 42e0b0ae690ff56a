// The run dashboard webview: the `ready` handshake, the state the host posts, a request the
// webview answers, and a panel restored from what the webview persisted.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEventMessage } from '#protocol/events.ts';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import type { RunDashboardView } from '#protocol/webview.ts';
import { RUN_DASHBOARD_VIEW_TYPE } from '#protocol/webview.ts';
import { callServer, ensureConnected, serverCredentials, uniqueName, waitFor } from './helpers.ts';

describe('Run dashboard webview', () => {
  let run: Run;

  before(async () => {
    await ensureConnected();
    const project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Dashboard') });
    const started = await callServer<Run>('POST', '/api/v1/runs', { kind: 'selftest', projectId: project.id, input: { events: 12, seconds: 0.5, nonce: uniqueName('n') } });
    run = await waitFor('the run to finish', async () => {
      const current = await callServer<Run>('GET', `/api/v1/runs/${started.id}`);
      return current.status === 'succeeded' ? current : undefined;
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens, says ready, shows the state the host posted and answers the host\'s request', async () => {
    const api = await ensureConnected();
    assert.equal(await vscode.commands.executeCommand('nyx.openRun', run.id), run.id);
    const dashboard = api.dashboards.get(run.id);
    assert.ok(dashboard, 'no dashboard for the run');
    await waitFor('the webview to say ready', () => dashboard.host.isReady);

    const view = await waitFor('the dashboard to render the finished run', async () => {
      const described: RunDashboardView = await dashboard.host.request('describeView', {});
      return described.eventRows === run.lastSeq && /succeeded/.test(described.status) ? described : undefined;
    });
    assert.equal(view.title, 'selftest run');
    assert.equal(view.progressPercent, 100);
    assert.match(view.theme, /^vscode-(light|dark|high-contrast|high-contrast-light)$/);
    assert.match(dashboard.panel.title, /selftest \(succeeded\)/);
  });

  it('restores a panel from the state its webview persisted (what the serializer gets after a reload)', async () => {
    const api = await ensureConnected();
    api.dashboards.get(run.id)?.panel.dispose();
    const keptEvents = (await eventsOf(run.id)).slice(0, 4);
    const panel = vscode.window.createWebviewPanel(RUN_DASHBOARD_VIEW_TYPE, 'Run', vscode.ViewColumn.Active, { enableScripts: true });
    const restored = api.dashboards.restore(panel, { runId: run.id, state: { run: { ...run, status: 'running', lastSeq: 4 }, events: keptEvents, live: true } });
    assert.ok(restored);
    // It continues after the 4 kept events: all of them end up in the log, once.
    const view = await waitFor('the restored dashboard to catch up', async () => {
      const described = await restored.host.request('describeView', {});
      return described.eventRows === run.lastSeq && /succeeded/.test(described.status) ? described : undefined;
    });
    assert.equal(view.progressPercent, 100);
  });
});

/** A run's events as its stream replays them (the server closes the stream after `done`). */
async function eventsOf(runId: string): Promise<RunEventMessage[]> {
  const { serverUrl, token } = serverCredentials();
  const response = await fetch(new URL(`/api/v1/runs/${runId}/events`, serverUrl), { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as RunEventMessage);
}
