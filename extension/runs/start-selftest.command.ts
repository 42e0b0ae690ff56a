import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from './runs-store.ts';
import type { TrackedRuns } from './tracked-runs.ts';

/** What a self-test run does: `events` ticks spread over `seconds` (server/src/runs/selftest.ts). */
export interface SelftestInput {
  events?: number;
  seconds?: number;
  failWith?: string;
  nonce?: string;
}

/**
 * "Nyx: Start Self-Test Run": a run that only emits events, to check that the server, its runner
 * and the live stream to this editor work. Needs a selected project (offers to pick one).
 */
export function registerStartSelftestCommand(connection: Connection, selection: ProjectSelection, store: RunsStore, tracked: () => TrackedRuns, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.startSelfTestRun', log, async (input?: SelftestInput): Promise<Run | undefined> => {
    const client = connection.requireClient();
    if (!selection.current()) await vscode.commands.executeCommand('nyx.selectProject');
    const project = selection.current();
    if (!project) return undefined;
    // A nonce makes each run new: the server returns an equal active run instead of starting another.
    const run = await client.createRun({ kind: 'selftest', projectId: project.id, input: { events: 20, seconds: 4, nonce: String(Date.now()), ...input } });
    store.apply(run);
    log.info(`Started self-test run ${run.id} in "${project.name}"${run.deduplicated ? ' (an equal run was already active)' : ''}`);
    tracked().track(run, `self-test run in ${project.name}`);
    return run;
  });
}
