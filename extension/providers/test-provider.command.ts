import * as vscode from 'vscode';
import type { ProviderId } from '#protocol/ai.ts';
import type { NyxClient } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { CONFIGURE_PROVIDER, withoutRestHints } from '../api/user-facing.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProviderStatus, ProviderTestOutcome } from './provider-status.ts';

/**
 * One test call through the server (`POST /providers/:provider/test`) under a progress
 * notification. A failure is shown with the buttons that fix it: Configure Provider, Retry.
 */
export async function testProviderWithProgress(client: NyxClient, status: ProviderStatus, provider: ProviderId, model?: string): Promise<ProviderTestOutcome> {
  let outcome: ProviderTestOutcome;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Nyx: testing ${provider}${model ? ` (${model})` : ''}…` },
      () => client.testProvider(provider, model),
    );
    outcome = { ok: true, result };
  } catch (error) {
    outcome = { ok: false, provider, message: errorMessage(error) };
  }
  status.recordTest(outcome);
  if (!outcome.ok) {
    void vscode.window
      .showErrorMessage(`Nyx: the ${provider} test call failed: ${withoutRestHints(outcome.message)}`, CONFIGURE_PROVIDER.title, 'Retry')
      .then((picked) => {
        if (picked === CONFIGURE_PROVIDER.title) void vscode.commands.executeCommand(CONFIGURE_PROVIDER.command, { provider });
        if (picked === 'Retry') void vscode.commands.executeCommand('nyx.testProvider', { provider, model });
      });
  }
  return outcome;
}

/** "Nyx: Test AI Provider": tests a configured provider (the only one, or a pick). */
export function registerTestProviderCommand(connection: Connection, status: ProviderStatus, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.testProvider', log, async (args: { provider?: ProviderId; model?: string } = {}): Promise<ProviderTestOutcome | undefined> => {
    const client = connection.requireClient();
    let provider = args.provider;
    if (!provider) {
      const state = await status.refresh();
      if (state.kind !== 'configured') {
        const picked = await vscode.window.showWarningMessage('Nyx: no AI provider is configured for this team yet.', CONFIGURE_PROVIDER.title);
        if (picked) await vscode.commands.executeCommand(CONFIGURE_PROVIDER.command);
        return undefined;
      }
      provider = state.providers.length === 1 ? state.providers[0] : (await vscode.window.showQuickPick(state.providers, { title: 'Nyx: Test AI Provider' })) as ProviderId | undefined;
      if (!provider) return undefined;
    }
    const outcome = await testProviderWithProgress(client, status, provider, args.model);
    if (outcome.ok) void vscode.window.showInformationMessage(`Nyx: ${provider} works: ${outcome.result.model} answered in ${outcome.result.latencyMs} ms.`);
    return outcome;
  });
}
