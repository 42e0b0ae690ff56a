import type { Persona } from '#protocol/personas.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { readAnalysisConfig } from './analysis-config.ts';

/**
 * The persona "Ask … to fix" names (setting `nyx.analysis.fixPersona`: a built-in key or an id).
 * The team's personas are loaded once per connection so code actions can show a name at once.
 */
export class FixPersona extends Disposable {
  private personas: Persona[] = [];
  private readonly connection: Connection;

  constructor(connection: Connection) {
    super();
    this.connection = connection;
    this.register(connection.onDidChange((state) => (state.kind === 'connected' ? void this.load() : (this.personas = []))));
    if (connection.state.kind === 'connected') void this.load();
  }

  /** What runs take as `personaId`: the setting as written. */
  get personaId(): string {
    return readAnalysisConfig().fixPersona;
  }

  /** The persona's name when known, else the setting's value. */
  get name(): string {
    const wanted = this.personaId;
    return this.personas.find((persona) => persona.id === wanted || persona.builtInKey === wanted)?.name ?? wanted;
  }

  private async load(): Promise<void> {
    try {
      this.personas = await this.connection.requireClient().listPersonas();
    } catch {
      // A server without personas still gets the action, labelled with the setting's value.
      this.personas = [];
    }
  }
}
