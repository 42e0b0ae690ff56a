import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from './connection.ts';

type Action = vscode.QuickPickItem & { command: string; args?: unknown[] };

/** "Nyx: Show Actions", also what clicking the status bar item does: what makes sense right now. */
export function registerShowActionsCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.showActions', log, async (): Promise<void> => {
    const state = connection.state;
    const settings: Action = { label: '$(gear) Open Nyx Settings', command: 'workbench.action.openSettings', args: ['@ext:nyx-dev.nyx'] };
    const showLog: Action = { label: '$(output) Show Log', command: 'nyx.showLog' };
    let actions: Action[];
    if (state.kind === 'connected') {
      actions = [
        { label: '$(project) Select Project', command: 'nyx.selectProject' },
        { label: '$(beaker) Start Self-Test Run', command: 'nyx.startSelfTestRun' },
        { label: '$(dashboard) Open Run Dashboard', command: 'nyx.openRun' },
        { label: '$(key) Configure AI Provider', command: 'nyx.configureProvider' },
        { label: '$(beaker) Test AI Provider', command: 'nyx.testProvider' },
        showLog,
        { label: '$(sign-out) Sign Out', command: 'nyx.signOut' },
      ];
    } else if (state.kind === 'offline') {
      actions = [{ label: '$(refresh) Retry', command: 'nyx.refresh' }, settings, showLog];
    } else {
      actions = [{ label: '$(sign-in) Sign In', command: 'nyx.signIn' }, settings, showLog];
    }
    const picked = await vscode.window.showQuickPick(actions, { title: `Nyx · ${describeState(connection)}` });
    if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
  });
}

export function describeState(connection: Connection): string {
  const state = connection.state;
  if (state.kind === 'connected') return `connected to ${state.serverUrl} as ${state.me.user.email}`;
  if (state.kind === 'connecting') return `connecting to ${state.serverUrl}…`;
  if (state.kind === 'offline') return `offline: ${state.serverUrl} does not answer`;
  return `signed out of ${state.serverUrl}`;
}
