import * as vscode from 'vscode';
import { SPECIALIZATION_CATEGORIES } from '#protocol/personas.ts';
import type { Persona } from '#protocol/personas.ts';
import { PERSONA_PICKER_VIEW_TYPE } from '#protocol/webview.ts';
import type { PersonaCard, PersonaPickerHostMethods, PersonaPickerState, PersonaPickerViewMethods } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import { Disposable } from '../lifecycle.ts';
import { WebviewHost } from '../webview/webview-host.ts';
import type { PersonasStore } from './personas-store.ts';

export interface PickPersonasOptions {
  /** Several personas (discussions) or exactly one (review, auto-fix, refactor, a workflow step). */
  multi?: boolean;
  title?: string;
  /** Persona ids chosen when the picker opens. */
  preselected?: readonly string[];
  /** Multi mode: how many must / may be chosen (default 1 to 6). */
  min?: number;
  max?: number;
}

export type PickPersonas = (options?: PickPersonasOptions) => Promise<Persona[] | undefined>;

/**
 * The persona picker: a webview panel that resolves with the chosen personas, or undefined when
 * the user cancels or closes it. One at a time: opening another cancels the open one.
 */
export class PersonaPicker extends Disposable {
  private open: PickerSession | undefined;
  private readonly store: PersonasStore;
  private readonly extensionUri: vscode.Uri;
  private readonly log: vscode.LogOutputChannel;

  constructor(store: PersonasStore, extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    super();
    this.store = store;
    this.extensionUri = extensionUri;
    this.log = log;
  }

  /** The open picker's webview host (tests drive it through the message channel). */
  get current(): PickerSession | undefined {
    return this.open;
  }

  readonly pick: PickPersonas = (options = {}) => {
    this.open?.finish(undefined);
    const session = new PickerSession(this.store, this.extensionUri, this.log, options);
    this.open = session;
    void session.result.finally(() => {
      if (this.open === session) this.open = undefined;
    });
    return session.result;
  };

  override dispose(): void {
    this.open?.finish(undefined);
    super.dispose();
  }
}

export class PickerSession extends Disposable {
  readonly host: WebviewHost<PersonaPickerState, PersonaPickerHostMethods, PersonaPickerViewMethods>;
  readonly result: Promise<Persona[] | undefined>;
  private resolve!: (personas: Persona[] | undefined) => void;
  private personas: Persona[] = [];
  private finished = false;
  private state: PersonaPickerState;
  private readonly store: PersonasStore;

  constructor(store: PersonasStore, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, options: PickPersonasOptions) {
    super();
    this.store = store;
    this.result = new Promise((resolve) => (this.resolve = resolve));
    const multi = options.multi ?? false;
    const title = options.title ?? (multi ? 'Choose personas' : 'Choose a persona');
    this.state = {
      title,
      multi,
      min: multi ? (options.min ?? 1) : 1,
      max: multi ? (options.max ?? 6) : 1,
      personas: [],
      categories: SPECIALIZATION_CATEGORIES.map(({ id, label }) => ({ id, label })),
      preselected: [...(options.preselected ?? [])],
      loading: true,
      error: null,
    };
    const panel = vscode.window.createWebviewPanel(PERSONA_PICKER_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'nyx.svg');
    this.host = this.register(
      new WebviewHost<PersonaPickerState, PersonaPickerHostMethods, PersonaPickerViewMethods>({
        panel,
        extensionUri,
        surface: 'persona-picker',
        log,
        handlers: {
          confirm: ({ ids }) => {
            const chosen = ids.map((id) => this.personas.find((persona) => persona.id === id)).filter((persona): persona is Persona => persona !== undefined);
            if (chosen.length < this.state.min || chosen.length > this.state.max) throw new Error(`Choose ${describeCount(this.state.min, this.state.max)}.`);
            this.finish(chosen);
            return null;
          },
          cancel: () => {
            this.finish(undefined);
            return null;
          },
        },
      }),
    );
    this.host.setState(this.state);
    this.register(panel.onDidDispose(() => this.finish(undefined)));
    this.register(store.onDidChange(() => void this.load()));
    void this.load();
  }

  finish(personas: Persona[] | undefined): void {
    if (this.isDisposed || this.finished) return;
    this.finished = true;
    this.resolve(personas);
    // Closed on the next turn, so the answer to the webview's `confirm` still reaches it.
    setTimeout(() => {
      const panel = this.host.panel;
      this.dispose();
      panel.dispose();
    }, 0);
  }

  /** Posts the list at once, then again as portraits arrive (cards show initials until then). */
  private async load(): Promise<void> {
    try {
      this.personas = await this.store.list();
      if (this.isDisposed) return;
      const cards = this.personas.map((persona) => toCard(persona, ''));
      this.update({ personas: cards, loading: false, error: null });
      const portraits = await Promise.all(this.personas.map((persona) => this.store.portrait(persona)));
      if (this.isDisposed) return;
      this.update({ personas: this.personas.map((persona, index) => toCard(persona, portraits[index] ?? '')) });
    } catch (error) {
      if (!this.isDisposed) this.update({ loading: false, error: `Could not load the personas: ${errorMessage(error)}` });
    }
  }

  private update(change: Partial<PersonaPickerState>): void {
    this.state = { ...this.state, ...change };
    this.host.setState(this.state);
  }
}

function toCard(persona: Persona, portrait: string): PersonaCard {
  const { id, name, role, description, traits, specializations, level, builtIn } = persona;
  return { id, name, role, description, traits, specializations, level, builtIn, portrait };
}

export function describeCount(min: number, max: number): string {
  if (min === max) return `${min} persona${min === 1 ? '' : 's'}`;
  return `${min} to ${max} personas`;
}
