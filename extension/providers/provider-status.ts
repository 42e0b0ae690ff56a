import * as vscode from 'vscode';
import type { ProviderId, ProviderTestResult, TenantModelList } from '#protocol/ai.ts';
import { errorMessage } from '../api/errors.ts';
import { withoutRestHints } from '../api/user-facing.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';

/** The last connection test of a provider in this window. */
export type ProviderTestOutcome = { ok: true; result: ProviderTestResult } | { ok: false; provider: ProviderId; message: string };

export type ProviderState =
  | { kind: 'unknown' }
  | { kind: 'none' }
  | { kind: 'configured'; providers: ProviderId[]; defaultModel: string | undefined; lastTest: ProviderTestOutcome | undefined };

/** Thrown by require() when the team has no AI provider: showError offers "Configure Provider". */
export class NoProviderError extends Error {
  constructor(doing: string) {
    super(`${doing} needs an AI model, and this team has no AI provider configured yet.`);
  }
}

/**
 * Whether the team has an AI provider, from the catalog (`listModels`: one cheap read), and how
 * its last test went. Read on every connection and after the provider flow; shown in the status
 * bar's tooltip; asked by discussions and workflows before they ask anything.
 */
export class ProviderStatus extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<ProviderState>());
  readonly onDidChange = this.changed.event;
  private current: ProviderState = { kind: 'unknown' };
  private lastTest: ProviderTestOutcome | undefined;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(connection.onDidChange((state) => (state.kind === 'connected' ? void this.refresh().catch(() => undefined) : this.set({ kind: 'unknown' }))));
  }

  get state(): ProviderState {
    return this.current;
  }

  /** Reads the catalog again; a failure keeps the state unknown and is logged. */
  async refresh(): Promise<ProviderState> {
    let catalog: TenantModelList;
    try {
      catalog = await this.connection.requireClient().listModels();
    } catch (error) {
      this.log.warn(`Could not read the AI providers: ${errorMessage(error)}`);
      this.set({ kind: 'unknown' });
      throw error;
    }
    const providers = catalog.configuredProviders;
    if (providers.length === 0) return this.set({ kind: 'none' });
    const defaultModel = providers.map((provider) => catalog.defaults[provider]).find(Boolean);
    const lastTest = this.lastTest && providers.includes(this.lastTest.ok ? this.lastTest.result.provider : this.lastTest.provider) ? this.lastTest : undefined;
    return this.set({ kind: 'configured', providers, defaultModel, lastTest });
  }

  /**
   * Before a feature asks its questions: throws NoProviderError (whose message offers Configure
   * Provider) when the team has none. Reads the server each time, since a teammate may have
   * configured one meanwhile.
   */
  async require(doing: string): Promise<void> {
    const state = await this.refresh();
    if (state.kind === 'none') throw new NoProviderError(doing);
  }

  recordTest(outcome: ProviderTestOutcome): void {
    this.lastTest = outcome.ok ? outcome : { ...outcome, message: withoutRestHints(outcome.message) };
    if (this.current.kind === 'configured') this.set({ ...this.current, lastTest: this.lastTest });
  }

  /** One line for the status bar's tooltip. */
  describe(): string {
    const state = this.current;
    if (state.kind === 'unknown') return 'AI provider: not known yet';
    if (state.kind === 'none') return 'AI provider: none configured (Nyx: Configure AI Provider)';
    const test = state.lastTest;
    const tested = !test
      ? 'not tested in this window'
      : test.ok
        ? `test OK: ${test.result.model} answered in ${test.result.latencyMs} ms`
        : `test FAILED: ${test.message}`;
    return `AI provider: ${state.providers.join(', ')}${state.defaultModel ? ` (default model ${state.defaultModel})` : ''}; ${tested}`;
  }

  private set(state: ProviderState): ProviderState {
    this.current = state;
    this.changed.fire(state);
    return state;
  }
}
