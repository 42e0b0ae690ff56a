// Runs: starting one from the editor (progress notification, Runs view, outcome), cancelling,
// and picking runs up again after a window reload without losing or repeating an event.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

describe('Runs', () => {
  before(async () => {
    const api = await ensureConnected();
    const project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Runs') });
    await api.selection.select(project);
  });

  it('starts a self-test run: progress is reported, the run shows in the Runs view and succeeds', async () => {
    const api = await ensureConnected();
    const progress: number[] = [];
    const statusTexts = new Set<string>();
    const listeners = [
      api.trackedRuns.onDidReportProgress((report) => progress.push(report.fraction)),
      api.runs.onDidChange(() => statusTexts.add(api.statusBar.text)),
    ];
    try {
      const run = await vscode.commands.executeCommand<Run>('nyx.startSelfTestRun', { events: 10, seconds: 1.5 });
      assert.ok(run, 'the command did not start a run');
      assert.ok(api.trackedRuns.runIds.includes(run.id), 'the run is not followed with a notification');
      assert.ok(api.runsTree.getChildren().some((item) => item.id === run.id), 'the run is not in the Runs view');

      const done = await waitFor('the run to succeed in the Runs view', () => {
        const held = api.runs.get(run.id);
        return held?.status === 'succeeded' ? held : undefined;
      });
      const item = api.runsTree.getTreeItem(done);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
      assert.equal(item.contextValue, 'nyx.run.final');
      assert.deepEqual(item.command?.arguments, [run.id]);

      await waitFor('the last progress report', () => progress.includes(1));
      assert.deepEqual([...progress].sort((a, b) => a - b), progress, 'progress went backwards');
      assert.ok(progress.length >= 5, `only ${progress.length} progress reports`);
      assert.ok([...statusTexts].some((text) => /\$\(sync~spin\) 1/.test(text)), `the status bar never counted the active run: ${[...statusTexts].join(' | ')}`);
      await waitFor('the run to be let go', () => !api.trackedRuns.runIds.includes(run.id));
    } finally {
      for (const listener of listeners) listener.dispose();
    }
  });

  it('cancels a running run from the command; the Runs view shows it cancelled', async () => {
    const api = await ensureConnected();
    const run = await vscode.commands.executeCommand<Run>('nyx.startSelfTestRun', { events: 100, seconds: 30 });
    assert.ok(run);
    const running = await waitFor('the run to be running', () => (api.runs.get(run.id)?.status === 'running' ? api.runs.get(run.id) : undefined));
    assert.equal(api.runsTree.getTreeItem(running).contextValue, 'nyx.run.active');

    await vscode.commands.executeCommand('nyx.cancelRun', run.id);
    const cancelled = await waitFor('the run to end cancelled', () => (api.runs.get(run.id)?.status === 'cancelled' ? api.runs.get(run.id) : undefined));
    assert.equal(api.runsTree.getTreeItem(cancelled).contextValue, 'nyx.run.final');
    assert.equal((api.runsTree.getTreeItem(cancelled).iconPath as vscode.ThemeIcon).id, 'circle-slash');
  });

  it('after a reload, resumes a run from the stored Last-Event-ID: every event once, in order', async () => {
    const api = await ensureConnected();
    const seen: number[] = [];
    const run = await vscode.commands.executeCommand<Run>('nyx.startSelfTestRun', { events: 30, seconds: 3 });
    assert.ok(run);
    const first = api.trackedRuns;
    const beforeReload = first.onDidReceiveEvent((received) => received.runId === run.id && seen.push(received.event.seq));
    await waitFor('a few events before the reload', () => seen.length >= 5);
    beforeReload.dispose();
    const lastBeforeReload = seen.at(-1)!;

    const second = await api.reloadTrackedRuns();
    assert.notEqual(second, first);
    assert.ok(second.runIds.includes(run.id), 'the reloaded window did not pick the run up again');
    const resumedFrom: number[] = [];
    const finished = new Promise<string>((resolve) => second.onDidFinish((end) => end.runId === run.id && resolve(end.done.status)));
    second.onDidReceiveEvent((received) => {
      if (received.runId !== run.id) return;
      if (resumedFrom.length === 0) resumedFrom.push(received.event.seq);
      seen.push(received.event.seq);
    });
    assert.equal(await finished, 'succeeded');

    const final = await callServer<Run>('GET', `/api/v1/runs/${run.id}`);
    assert.equal(resumedFrom[0], lastBeforeReload + 1, 'the resumed stream did not start right after the stored Last-Event-ID');
    assert.deepEqual(seen, Array.from({ length: final.lastSeq }, (_, index) => index + 1), 'events were lost or repeated across the reload');
    assert.ok(!second.runIds.includes(run.id));
  });
});
