import * as vscode from 'vscode';
import { personaRoutes } from '#protocol/personas.ts';
import type { Persona, PersonaCreate } from '#protocol/personas.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { askPersonaFields } from './persona-inputs.ts';
import type { PickPersonas } from './persona-picker.ts';
import type { PersonasStore } from './personas-store.ts';

/** Arguments for scripted use (tests, other extensions); without them the command asks. */
export type ManagePersonasArgs =
  | { action: 'create'; persona: PersonaCreate }
  | { action: 'duplicate'; personaId: string }
  | { action: 'delete'; personaId: string };

type Action = 'create' | 'duplicate' | 'edit' | 'delete';

/**
 * "Nyx: Manage Personas": create, duplicate (the way to edit a built-in), edit or delete the
 * team's personas. Personas are chosen in the picker; fields are asked with quick inputs.
 */
export function registerManagePersonasCommand(connection: Connection, store: PersonasStore, pick: PickPersonas, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.managePersonas', log, async (args?: ManagePersonasArgs): Promise<Persona | undefined> => {
    const client = connection.requireClient();
    if (args?.action === 'create') return done(await client.call(personaRoutes.create, { body: args.persona }), 'created');
    if (args?.action === 'duplicate') return done(await client.call(personaRoutes.duplicate, { params: { id: args.personaId } }), 'created');
    if (args?.action === 'delete') {
      await client.call(personaRoutes.remove, { params: { id: args.personaId } });
      store.invalidate();
      return undefined;
    }

    const action = await vscode.window.showQuickPick<vscode.QuickPickItem & { action: Action }>(
      [
        { label: '$(add) Create a persona…', action: 'create' },
        { label: '$(copy) Duplicate a persona…', description: 'built-ins are read-only: duplicate one to adapt it', action: 'duplicate' },
        { label: '$(edit) Edit a team persona…', action: 'edit' },
        { label: '$(trash) Delete a team persona…', action: 'delete' },
      ],
      { title: 'Nyx: Manage Personas' },
    );
    if (!action) return undefined;
    if (action.action === 'create') {
      const fields = await askPersonaFields('New persona');
      return fields ? done(await client.call(personaRoutes.create, { body: fields }), 'created') : undefined;
    }
    const [persona] = (await pick({ title: `${action.label.replace(/^\$\([\w-]+\) /, '').replace('…', '')}: choose one` })) ?? [];
    if (!persona) return undefined;
    if (action.action === 'duplicate') return done(await client.call(personaRoutes.duplicate, { params: { id: persona.id } }), 'created');
    if (persona.builtIn) {
      const duplicate = await vscode.window.showWarningMessage(`"${persona.name}" is built-in and read-only. Duplicate it to get an editable copy?`, 'Duplicate');
      return duplicate ? done(await client.call(personaRoutes.duplicate, { params: { id: persona.id } }), 'created') : undefined;
    }
    if (action.action === 'edit') {
      const fields = await askPersonaFields(`Edit ${persona.name}`, persona);
      return fields ? done(await client.call(personaRoutes.update, { params: { id: persona.id }, body: fields }), 'updated') : undefined;
    }
    const sure = await vscode.window.showWarningMessage(`Delete the persona "${persona.name}" for the whole team?`, { modal: true }, 'Delete');
    if (sure !== 'Delete') return undefined;
    await client.call(personaRoutes.remove, { params: { id: persona.id } });
    store.invalidate();
    void vscode.window.showInformationMessage(`Nyx: deleted the persona "${persona.name}".`);
    return undefined;
  });

  function done(persona: Persona, change: 'created' | 'updated'): Persona {
    store.invalidate();
    log.info(`Persona "${persona.name}" ${change} (${persona.id})`);
    void vscode.window.showInformationMessage(`Nyx: ${change} the persona "${persona.name}" (${persona.specializations.join(', ') || 'no specializations'}).`);
    return persona;
  }
}
