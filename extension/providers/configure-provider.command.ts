import * as vscode from 'vscode';
import type { ProviderInfo } from '#protocol/ai.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';

const PROVIDERS = [
  { id: 'anthropic', label: 'Anthropic', needsKey: true },
  { id: 'openai', label: 'OpenAI', needsKey: true },
  { id: 'google', label: 'Google', needsKey: true },
  { id: 'openai-compatible', label: 'OpenAI-compatible server (Ollama, vLLM, a proxy)', needsKey: false },
] as const;

/**
 * "Nyx: Configure AI Provider": stores a provider's key (and base URL) on the server, which keeps
 * it encrypted and shared by the tenant; the editor never keeps it.
 */
export function registerConfigureProviderCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.configureProvider', log, async (): Promise<ProviderInfo | undefined> => {
    const client = connection.requireClient();
    const provider = await vscode.window.showQuickPick(
      PROVIDERS.map((entry) => ({ label: entry.label, description: entry.id, entry })),
      { title: 'Nyx: Configure AI Provider', placeHolder: 'The provider whose key the team service should use' },
    );
    if (!provider) return undefined;
    const { id, needsKey } = provider.entry;
    const baseUrl = needsKey
      ? undefined
      : await vscode.window.showInputBox({ title: `${provider.label}: base URL`, prompt: 'e.g. http://127.0.0.1:11434/v1 for Ollama', ignoreFocusOut: true, validateInput: (value) => (URL.canParse(value) ? undefined : 'A URL such as http://127.0.0.1:11434/v1') });
    if (!needsKey && !baseUrl) return undefined;
    const apiKey = await vscode.window.showInputBox({
      title: `${provider.label}: API key`,
      prompt: needsKey ? 'Stored encrypted on the Nyx server, never shown again' : 'Optional for local servers: leave empty for none',
      password: true,
      ignoreFocusOut: true,
    });
    if (apiKey === undefined || (needsKey && !apiKey.trim())) return undefined;
    const info = await client.putProvider(id, { ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}), ...(baseUrl ? { baseUrl } : {}) });
    log.info(`Configured AI provider ${id}${info.keyHint ? ` (key ${info.keyHint})` : ''}`);
    void vscode.window.showInformationMessage(`Nyx: ${provider.label} is configured${info.keyHint ? ` (key ${info.keyHint})` : ''}.`);
    return info;
  });
}
