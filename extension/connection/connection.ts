import * as vscode from 'vscode';
import type { Me } from '#protocol/tokens.ts';
import { backoffDelay } from '#protocol/sse-client.ts';
import { NyxClient } from '../api/client.ts';
import { errorMessage, ServerProblemError, ServerUnreachableError } from '../api/errors.ts';
import { readConfig } from '../config.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import { readLocalCredentials } from './credentials-file.ts';

export type ConnectionState =
  | { kind: 'signedOut'; serverUrl: string; reason?: string }
  | { kind: 'connecting'; serverUrl: string }
  | { kind: 'connected'; serverUrl: string; client: NyxClient; me: Me; tokenSource: 'signIn' | 'credentialsFile' }
  | { kind: 'offline'; serverUrl: string; message: string };

export type ConnectionKind = ConnectionState['kind'];

/** The user asked a command that needs the server while not connected. */
export class NotConnectedError extends Error {
  readonly reason = 'notConnected';

  static is(error: unknown): error is NotConnectedError {
    return error instanceof Error && (error as { reason?: unknown }).reason === 'notConnected';
  }
}

const OFFLINE_RETRY_BASE_MS = 2_000;
const OFFLINE_RETRY_MAX_MS = 60_000;

/**
 * Who we are on which server. The token lives in SecretStorage (per server URL); with none stored,
 * the local embedded server's credentials.json is used when it names the configured URL, unless
 * the user signed out of that server. An unreachable server is retried with backoff.
 */
export class Connection extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<ConnectionState>());
  readonly onDidChange = this.changed.event;
  private current: ConnectionState;
  /** Bumped by every connect/sign-in/sign-out so that a slow, stale attempt never wins. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private offlineAttempts = 0;
  private readonly secrets: vscode.SecretStorage;
  private readonly globalState: vscode.Memento;
  private readonly log: vscode.LogOutputChannel;

  constructor(secrets: vscode.SecretStorage, globalState: vscode.Memento, log: vscode.LogOutputChannel) {
    super();
    this.secrets = secrets;
    this.globalState = globalState;
    this.log = log;
    this.current = { kind: 'signedOut', serverUrl: readConfig().serverUrl };
    this.register(toDisposable(() => clearTimeout(this.retryTimer)));
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The client of the current connection, or a NotConnectedError that says what to do. */
  requireClient(): NyxClient {
    const state = this.current;
    if (state.kind === 'connected') return state.client;
    if (state.kind === 'offline') throw new NotConnectedError(state.message);
    if (state.kind === 'connecting') throw new NotConnectedError(`Still connecting to the Nyx server at ${state.serverUrl}; try again in a moment.`);
    throw new NotConnectedError(`Not signed in to the Nyx server at ${state.serverUrl}. Run "Nyx: Sign In" first.`);
  }

  /**
   * The client as soon as the connection is up: at once when connected, else at the next
   * `connected` state. Panels restored after a window reload wait here, because VS Code restores
   * them before the token is read and `GET /me` answered (asking earlier says "Not signed in").
   * Disposing `until` stops waiting (the promise then never settles).
   */
  whenConnected(until?: { onDidDispose(listener: () => void): unknown }): Promise<NyxClient> {
    if (this.current.kind === 'connected') return Promise.resolve(this.current.client);
    return new Promise((resolve) => {
      const listener = this.onDidChange((state) => {
        if (state.kind !== 'connected') return;
        listener.dispose();
        resolve(state.client);
      });
      until?.onDidDispose(() => listener.dispose());
    });
  }

  /** (Re)connects with the stored token or the local credentials file, for the configured URL. */
  async connect(): Promise<ConnectionState> {
    const attempt = this.beginAttempt();
    const { serverUrl, credentialsFile } = readConfig();
    let token = await this.secrets.get(secretKey(serverUrl));
    let tokenSource: 'signIn' | 'credentialsFile' = 'signIn';
    if (!token && !this.globalState.get<boolean>(signedOutKey(serverUrl))) {
      const local = await readLocalCredentials(credentialsFile, serverUrl);
      if (local) {
        token = local.token;
        tokenSource = 'credentialsFile';
        this.log.info(`Using the local server's credentials from ${credentialsFile}`);
      }
    }
    if (attempt !== this.generation) return this.current;
    if (!token) return this.set({ kind: 'signedOut', serverUrl });

    this.set({ kind: 'connecting', serverUrl });
    const client = new NyxClient(serverUrl, token);
    try {
      const me = await client.me();
      if (attempt !== this.generation) return this.current;
      this.offlineAttempts = 0;
      this.log.info(`Connected to ${serverUrl} as ${me.user.email} (tenant ${me.tenant.name})`);
      return this.set({ kind: 'connected', serverUrl, client, me, tokenSource });
    } catch (error) {
      if (attempt !== this.generation) return this.current;
      if (ServerProblemError.is(error) && error.isUnauthorized) {
        const reason = `The Nyx server at ${serverUrl} rejected the ${tokenSource === 'signIn' ? 'stored' : 'local'} token: ${error.message}`;
        this.log.warn(reason);
        return this.set({ kind: 'signedOut', serverUrl, reason });
      }
      const message = errorMessage(error);
      this.log.warn(message);
      if (ServerUnreachableError.is(error)) this.scheduleRetry();
      return this.set({ kind: 'offline', serverUrl, message });
    }
  }

  /** Checks the token with the server first: a wrong token is never stored. */
  async signIn(token: string): Promise<Me> {
    const attempt = this.beginAttempt();
    const { serverUrl } = readConfig();
    const client = new NyxClient(serverUrl, token.trim());
    const me = await client.me();
    await this.secrets.store(secretKey(serverUrl), token.trim());
    await this.globalState.update(signedOutKey(serverUrl), undefined);
    if (attempt === this.generation) this.set({ kind: 'connected', serverUrl, client, me, tokenSource: 'signIn' });
    this.log.info(`Signed in to ${serverUrl} as ${me.user.email}`);
    return me;
  }

  /** Forgets the token and stops using the local credentials file for this server until the next sign-in. */
  async signOut(): Promise<void> {
    this.beginAttempt();
    const { serverUrl } = readConfig();
    await this.secrets.delete(secretKey(serverUrl));
    await this.globalState.update(signedOutKey(serverUrl), true);
    this.set({ kind: 'signedOut', serverUrl });
    this.log.info(`Signed out of ${serverUrl}`);
  }

  private beginAttempt(): number {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    return ++this.generation;
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this.offlineAttempts++, OFFLINE_RETRY_BASE_MS, OFFLINE_RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private set(state: ConnectionState): ConnectionState {
    this.current = state;
    void vscode.commands.executeCommand('setContext', 'nyx.connection', state.kind);
    this.changed.fire(state);
    return state;
  }
}

function secretKey(serverUrl: string): string {
  return `nyx.token:${serverUrl}`;
}

function signedOutKey(serverUrl: string): string {
  return `nyx.signedOut:${serverUrl}`;
}
