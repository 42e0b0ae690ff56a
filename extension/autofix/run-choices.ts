import * as vscode from 'vscode';
import type { Persona } from '#protocol/personas.ts';
import type { NyxClient } from '../api/client.ts';
import type { PickPersonas } from '../personas/persona-picker.ts';

/** Who writes the change and with which model; undefined fields mean "the server's default". */
export interface ModelChoice {
  personaId?: string;
  model?: string;
}

export interface ChoiceSources {
  client: NyxClient;
  /** The team's personas (the personas store). */
  personas: () => Promise<Persona[]>;
  /** The persona picker webview, for "Browse the team…". */
  pickPersonas: PickPersonas;
}

type PersonaItem = vscode.QuickPickItem & { personaId?: string; browse?: boolean };

/** Quick picks for the persona, then the model. Undefined when the user cancels either. */
export async function choosePersonaAndModel(sources: ChoiceSources, title: string): Promise<ModelChoice | undefined> {
  const personaId = await choosePersona(sources, title);
  if (personaId === null) return undefined;
  const model = await chooseModel(sources.client, title);
  if (model === null) return undefined;
  return { personaId, model };
}

/** A persona id, undefined for the default, null when cancelled. */
async function choosePersona(sources: ChoiceSources, title: string): Promise<string | undefined | null> {
  const personas = await sources.personas().catch(() => []);
  const items: PersonaItem[] = [
    { label: '$(account) Default', description: 'no persona: a generic senior engineer' },
    ...personas.map((persona) => ({ label: persona.name, description: persona.role, personaId: persona.builtInKey ?? persona.id })),
    { label: '$(organization) Browse the team…', description: 'the persona picker', browse: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${title}: who writes the change?`, placeHolder: 'Persona (Enter: default)', matchOnDescription: true });
  if (!picked) return null;
  if (!picked.browse) return picked.personaId;
  const [chosen] = (await sources.pickPersonas({ title: `${title}: choose a persona` })) ?? [];
  return chosen ? (chosen.builtInKey ?? chosen.id) : null;
}

/** A catalog model id, undefined for the default, null when cancelled. Only models of configured providers are offered. */
async function chooseModel(client: NyxClient, title: string): Promise<string | undefined | null> {
  const catalog = await client.listModels().catch(() => undefined);
  const usable = (catalog?.models ?? []).filter((model) => catalog?.configuredProviders.includes(model.provider));
  const items: Array<vscode.QuickPickItem & { model?: string }> = [
    { label: '$(sparkle) Default model', description: "the persona's, else the team's" },
    ...usable.map((model) => ({ label: model.displayName, description: `${model.provider} · ${model.id}`, model: model.id })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${title}: which model?`, placeHolder: 'Model (Enter: default)', matchOnDescription: true });
  return picked ? picked.model : null;
}
