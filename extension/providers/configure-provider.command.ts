import * as vscode from 'vscode';
import type { ProviderId, ProviderInfo } from '#protocol/ai.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { listCompatibleModels, pickAndRegisterModels } from './compatible-models.ts';
import type { ProviderStatus, ProviderTestOutcome } from './provider-status.ts';
import { testProviderWithProgress } from './test-provider.command.ts';

const PROVIDERS: readonly { id: ProviderId; label: string; detail: string }[] = [
  { id: 'anthropic', label: 'Anthropic', detail: 'Claude models, with an API key from console.anthropic.com' },
  { id: 'openai', label: 'OpenAI', detail: 'GPT models, with an API key from platform.openai.com' },
  { id: 'google', label: 'Google', detail: 'Gemini models, with an API key from aistudio.google.com' },
  { id: 'openai-compatible', label: 'OpenAI-compatible server', detail: 'Ollama, vLLM, LM Studio or a proxy: its base URL, then pick its models' },
];

/** What the command takes to run without asking (scripts, tests); anything missing is asked. */
export interface ConfigureProviderArgs {
  provider?: ProviderId;
  baseUrl?: string;
  /** Empty string: no key (a local server). */
  apiKey?: string;
  /** OpenAI-compatible: the model ids to register (from the server's list). */
  models?: string[];
}

export interface ConfigureProviderResult {
  info: ProviderInfo;
  registered: string[];
  test: ProviderTestOutcome;
}

/**
 * "Nyx: Configure AI Provider": the provider, its key (and for a compatible server its base URL
 * and the models it serves, each registered with one pick), stored on the server, which keeps the
 * key encrypted; then a test call, whose outcome is shown with a fix when it failed.
 */
export function registerConfigureProviderCommand(connection: Connection, status: ProviderStatus, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.configureProvider', log, async (args: ConfigureProviderArgs = {}): Promise<ConfigureProviderResult | undefined> => {
    const client = connection.requireClient();
    const provider = args.provider ?? (await pickProvider(status));
    if (!provider) return undefined;
    const label = PROVIDERS.find((entry) => entry.id === provider)?.label ?? provider;
    const compatible = provider === 'openai-compatible';

    const baseUrl = compatible ? (args.baseUrl ?? (await askBaseUrl(label))) : args.baseUrl;
    if (compatible && !baseUrl) return undefined;
    const apiKey = args.apiKey ?? (await askKey(label, compatible));
    if (apiKey === undefined || (!compatible && !apiKey)) return undefined;

    // Keyless (Ollama, LM Studio): ask the URL before storing it, so a wrong one stores nothing.
    // With a key, store first: the server sends a key only to the URL it is stored for.
    const probed = compatible && !apiKey ? await listCompatibleModels(client, baseUrl) : undefined;
    const info = await client.putProvider(provider, { ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}) });
    log.info(`Configured AI provider ${provider}${info.baseUrl ? ` at ${info.baseUrl}` : ''}${info.keyHint ? ` (key ${info.keyHint})` : ''}`);

    let registered: string[] = [];
    if (compatible) {
      const listed = probed ?? (await listCompatibleModels(client));
      const picked = await pickAndRegisterModels(client, listed, log, args.models);
      if (picked === undefined) return undefined;
      registered = picked;
    }
    await status.refresh().catch(() => undefined);
    const test = await testProviderWithProgress(client, status, provider, registered[0]);
    announce(label, registered, test);
    return { info, registered, test };
  });
}

async function pickProvider(status: ProviderStatus): Promise<ProviderId | undefined> {
  const configured = status.state.kind === 'configured' ? status.state.providers : [];
  const picked = await vscode.window.showQuickPick(
    PROVIDERS.map((entry) => ({ label: entry.label, description: configured.includes(entry.id) ? 'configured' : undefined, detail: entry.detail, id: entry.id })),
    { title: 'Nyx: Configure AI Provider (1/3)', placeHolder: 'Which provider should the team service use?', ignoreFocusOut: true },
  );
  return picked?.id;
}

async function askBaseUrl(label: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `${label}: base URL (2/3)`,
    value: 'http://127.0.0.1:11434/v1',
    valueSelection: [0, 'http://127.0.0.1:11434/v1'.length],
    prompt: 'Ollama: http://127.0.0.1:11434/v1 · LM Studio: http://127.0.0.1:1234/v1 · vLLM: http://HOST:8000/v1. The Nyx server connects to it, so name it as the server sees it.',
    ignoreFocusOut: true,
    validateInput: (text) => (/^https?:\/\/\S+$/.test(text.trim()) && URL.canParse(text.trim()) ? undefined : 'An http:// or https:// URL, such as http://127.0.0.1:11434/v1'),
  });
  return value?.trim() || undefined;
}

async function askKey(label: string, optional: boolean): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: `${label}: API key (${optional ? '3/3' : '2/3'})`,
    prompt: optional ? 'Optional: leave empty for servers that need none (Ollama, LM Studio)' : 'Stored encrypted on the Nyx server, never shown again',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (!optional && !text.trim() ? 'The key is required for this provider' : /\s/.test(text.trim()) ? 'A key has no spaces' : undefined),
  });
  return value === undefined ? undefined : value.trim();
}

/** A failed test was already shown, with its fix, by testProviderWithProgress. */
function announce(label: string, registered: string[], test: ProviderTestOutcome): void {
  const models = registered.length ? ` with ${registered.length === 1 ? `model ${registered[0]}` : `${registered.length} models`}` : '';
  if (test.ok) {
    void vscode.window.showInformationMessage(`Nyx: ${label} is configured${models} and works: ${test.result.model} answered in ${test.result.latencyMs} ms.`);
  }
}
