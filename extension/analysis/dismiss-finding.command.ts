import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { findingIdFrom } from './finding-locations.ts';
import { pickOpenFinding } from './pick-finding.ts';
import type { FindingsStore } from './findings-store.ts';

/**
 * "Nyx: Dismiss Finding for the Team": asks why (the team sees the reason), then
 * `POST /api/v1/findings/:id/dismiss`. Every editor of the team drops the diagnostic when the
 * `findings.changed` notice reaches it. Takes a finding id (code actions, the Findings view)
 * and a reason (tests); without an id, offers the open findings, those of the active file first.
 */
export function registerDismissFindingCommand(connection: Connection, store: FindingsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.dismissFinding', log, async (target?: unknown, givenReason?: string): Promise<StoredFinding | undefined> => {
    const client = connection.requireClient();
    const findingId = findingIdFrom(target) ?? (await pickOpenFinding(store, 'dismiss', 'Dismiss a finding for the team'));
    if (!findingId) return undefined;
    const finding = store.find(findingId);
    const reason =
      givenReason ??
      (await vscode.window.showInputBox({
        title: 'Dismiss for the team',
        prompt: finding ? `Why is "${finding.message}" (${finding.ruleId}) not a problem? Your team sees the reason.` : 'Why is this not a problem? Your team sees the reason.',
        placeHolder: 'e.g. test fixture, never deployed',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'Say why: the team sees the reason'),
      }));
    if (!reason?.trim()) return undefined;
    const dismissed = await client.dismissFinding(findingId, reason.trim());
    store.forget(findingId);
    log.info(`Dismissed ${dismissed.ruleId} at ${dismissed.path}:${dismissed.range.startLine} for the team: ${dismissed.dismissedReason ?? ''}`);
    return dismissed;
  });
}
