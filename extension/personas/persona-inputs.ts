import * as vscode from 'vscode';
import { PersonaLevel } from '#protocol/personas.ts';
import type { Persona, PersonaCreate, PersonaUpdate } from '#protocol/personas.ts';

/**
 * Asks for a persona's fields with quick inputs, prefilled from `from` when editing. Returns
 * undefined when the user escapes any step. Specializations are left to the server, which derives
 * them from the description (explicit ones come from the API).
 */
export async function askPersonaFields(title: string, from?: Persona): Promise<(PersonaCreate & PersonaUpdate) | undefined> {
  const name = await vscode.window.showInputBox({ title: `${title} (1/5): name`, value: from?.name, ignoreFocusOut: true, validateInput: (value) => (value.trim() ? undefined : 'A name is required') });
  if (name === undefined) return undefined;
  const role = await vscode.window.showInputBox({ title: `${title} (2/5): role`, value: from?.role, placeHolder: 'e.g. Security auditor', ignoreFocusOut: true, validateInput: (value) => (value.trim() ? undefined : 'A role is required') });
  if (role === undefined) return undefined;
  const description = await vscode.window.showInputBox({ title: `${title} (3/5): description`, value: from?.description, prompt: 'What this persona looks at; its specializations are derived from it', ignoreFocusOut: true });
  if (description === undefined) return undefined;
  const level = await vscode.window.showQuickPick(
    PersonaLevel.options.map((option) => ({ label: option, picked: option === (from?.level ?? 'senior') })),
    { title: `${title} (4/5): level`, ignoreFocusOut: true },
  );
  if (!level) return undefined;
  const traits = await vscode.window.showInputBox({ title: `${title} (5/5): traits`, value: from?.traits.join(', '), prompt: 'Comma-separated, e.g. skeptical, pragmatic', ignoreFocusOut: true });
  if (traits === undefined) return undefined;
  return {
    name: name.trim(),
    role: role.trim(),
    description,
    level: level.label as Persona['level'],
    traits: traits.split(',').map((trait) => trait.trim()).filter(Boolean),
    // Editing a description should re-derive auto specializations; explicit ones stay.
    ...(from && from.specializationsSource === 'auto' ? { specializations: [] } : {}),
  };
}
