import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { TriageAction } from '#protocol/triage.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { findingIdFrom } from './finding-locations.ts';
import { pickOpenFinding } from './pick-finding.ts';
import type { FindingsStore } from './findings-store.ts';

export const TRIAGE_LABEL: Record<TriageAction, string> = {
  'false-positive': 'False positive',
  'wont-fix': "Won't fix",
  accepted: 'Accepted',
  reopened: 'Reopened',
};

const TRIAGE_DETAIL: Record<Exclude<TriageAction, 'reopened'>, string> = {
  'false-positive': 'The analyzer is wrong here: the code is safe.',
  'wont-fix': 'A real issue the team will not change (legacy code, going away).',
  accepted: 'A known risk the team accepts (mitigated elsewhere, not exposed).',
};

/** Arguments for tests and scripts: without them the command asks. */
export interface TriageArgs {
  status?: TriageAction;
  reason?: string;
}

/**
 * "Nyx: Triage Finding…": false positive, won't fix or accepted (with a reason the team reads), or
 * reopen a dismissed finding. The change reaches every editor of the team live; the notification
 * offers Undo. "Nyx: Undo Last Triage" undoes the newest change of a finding (default: the one
 * this window changed last).
 */
export function registerTriageCommands(connection: Connection, store: FindingsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  let lastTriaged: string | undefined;
  const undo = async (findingId: string): Promise<StoredFinding> => {
    const restored = await connection.requireClient().undoTriage(findingId);
    log.info(`Undid the last triage of ${restored.ruleId} at ${restored.path}:${restored.range.startLine}: now ${restored.status}${restored.resolution ? ` (${restored.resolution})` : ''}`);
    await store.reload(restored.projectId);
    return restored;
  };
  return vscode.Disposable.from(
    registerCommand('nyx.triageFinding', log, async (target?: unknown, args: TriageArgs = {}): Promise<StoredFinding | undefined> => {
      const client = connection.requireClient();
      const findingId = findingIdFrom(target) ?? (await pickOpenFinding(store, 'triage', 'Nyx: triage a finding'));
      if (!findingId) return undefined;
      const finding = store.find(findingId) ?? (await client.getFinding(findingId));
      const status = args.status ?? (await pickStatus(finding));
      if (!status) return undefined;
      let reason = args.reason;
      if (reason === undefined && status !== 'reopened') {
        reason = await vscode.window.showInputBox({
          title: `Nyx: ${TRIAGE_LABEL[status]}`,
          prompt: `Why is "${finding.message.split('\n')[0]}" (${finding.ruleId}) ${TRIAGE_LABEL[status].toLowerCase()}? Your team sees the reason.`,
          placeHolder: status === 'false-positive' ? 'e.g. the value is a constant, never user input' : 'e.g. only reachable from the admin VPN',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'Say why: the team sees the reason'),
        });
        if (!reason?.trim()) return undefined;
      }
      const changed = await client.triageFinding(findingId, { status, ...(reason?.trim() ? { reason: reason.trim() } : {}) });
      lastTriaged = findingId;
      if (changed.status === 'dismissed') store.forget(findingId);
      await store.reload(changed.projectId);
      log.info(`Triaged ${changed.ruleId} at ${changed.path}:${changed.range.startLine} as ${status} for the team${reason ? `: ${reason}` : ''}`);
      // Not awaited: the command resolves with the change; Undo is there as long as the toast is.
      void vscode.window.showInformationMessage(`Nyx: ${changed.ruleId} marked ${TRIAGE_LABEL[status].toLowerCase()} for the team.`, 'Undo').then((picked) => {
        if (picked === 'Undo') void undo(findingId).catch((error: unknown) => void vscode.window.showErrorMessage(`Nyx: could not undo: ${String(error)}`));
      });
      return changed;
    }),
    registerCommand('nyx.undoTriage', log, async (target?: unknown): Promise<StoredFinding | undefined> => {
      const findingId = findingIdFrom(target) ?? lastTriaged;
      if (!findingId) throw new Error('Nyx: nothing to undo in this window. Pick a dismissed finding in the Findings view ("Show Dismissed") and undo from its menu.');
      return undo(findingId);
    }),
  );
}

async function pickStatus(finding: StoredFinding): Promise<TriageAction | undefined> {
  const options: TriageAction[] = finding.status === 'dismissed' ? ['reopened', 'false-positive', 'wont-fix', 'accepted'] : ['false-positive', 'wont-fix', 'accepted'];
  const picked = await vscode.window.showQuickPick(
    options.map((status) => ({ label: TRIAGE_LABEL[status], detail: status === 'reopened' ? 'Open again: it shows in every editor.' : TRIAGE_DETAIL[status], status })),
    { title: `Nyx: triage ${finding.ruleId} for the team`, placeHolder: finding.message.split('\n')[0] },
  );
  return picked?.status;
}
