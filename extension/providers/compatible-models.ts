import * as vscode from 'vscode';
import type { RemoteModelList } from '#protocol/ai.ts';
import type { NyxClient } from '../api/client.ts';
import { ServerProblemError } from '../api/errors.ts';

/**
 * What an OpenAI-compatible server serves (its `/v1/models`, asked by the Nyx server, which is
 * the one that must reach it). `probeBaseUrl` asks a URL that is not stored yet.
 */
export async function listCompatibleModels(client: NyxClient, probeBaseUrl?: string): Promise<RemoteModelList> {
  return await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Nyx: asking ${probeBaseUrl ?? 'the server'} for its models…` },
    () => client.listRemoteModels('openai-compatible', probeBaseUrl),
  );
}

/**
 * The listed models in a multi-select pick; each picked model not yet in the team's catalog is
 * registered. Returns the picked ids (already registered ones included), or undefined when the
 * user cancelled. `preset` skips the pick (scripts, tests).
 */
export async function pickAndRegisterModels(client: NyxClient, listed: RemoteModelList, log: vscode.LogOutputChannel, preset?: string[]): Promise<string[] | undefined> {
  if (listed.items.length === 0) {
    void vscode.window.showWarningMessage(`Nyx: the server at ${listed.baseUrl ?? 'that URL'} lists no models. Pull one first (for Ollama: "ollama pull qwen2.5-coder:7b"), then configure again.`, 'Configure Provider').then((picked) => picked && vscode.commands.executeCommand('nyx.configureProvider'));
    return [];
  }
  let chosen: string[];
  if (preset) {
    const known = new Set(listed.items.map((item) => item.id));
    const unknown = preset.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`The server at ${listed.baseUrl ?? 'that URL'} does not serve ${unknown.join(', ')} (it lists ${[...known].join(', ')}).`);
    chosen = preset;
  } else {
    const picks = await vscode.window.showQuickPick(
      listed.items.map((item) => ({ label: item.id, description: item.registered ? 'registered' : undefined, picked: item.registered })),
      { title: `Models at ${listed.baseUrl ?? 'the server'} (check the ones the team may use)`, canPickMany: true, ignoreFocusOut: true, placeHolder: 'The first checked model is tested next' },
    );
    if (!picks) return undefined;
    chosen = picks.map((pick) => pick.label);
  }
  for (const id of chosen.filter((id) => !listed.items.find((item) => item.id === id)?.registered)) {
    try {
      // No per-model base URL: the provider's stored one applies, so moving the server moves them all.
      await client.addModel({ provider: 'openai-compatible', id });
      log.info(`Registered model ${id} of ${listed.baseUrl ?? 'the compatible server'}`);
    } catch (error) {
      // Another provider's custom model with the same id, or a teammate was quicker: say which.
      if (!(ServerProblemError.is(error) && error.status === 409)) throw error;
      log.warn(`Model ${id} was already registered: ${error.message}`);
    }
  }
  return chosen;
}
