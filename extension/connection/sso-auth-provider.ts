import { createHash, randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ssoRoutes, SsoSession } from '#protocol/sso.ts';
import { NyxClient } from '../api/client.ts';
import { ServerProblemError } from '../api/errors.ts';
import { readConfig } from '../config.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import type { Connection } from './connection.ts';

export const AUTH_PROVIDER_ID = 'nyx';
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** Renew this long before the session token runs out (or at 90 % of its life, if that is sooner). */
const REFRESH_AHEAD_MS = 5 * 60_000;

/** What is kept per server in SecretStorage: the server's answer to the sign-in or the last refresh. */
type StoredSession = SsoSession & { serverUrl: string };

interface PendingSignIn {
  clientState: string;
  resolve(uri: vscode.Uri): void;
}

/** Opens the identity provider's page; tests replace it with a browser of their own. */
export type OpenBrowser = (url: string) => Thenable<boolean>;

/**
 * The URL goes to openExternal as the string the server sent: a vscode.Uri re-encodes its query
 * (the redirect_uri inside it would reach the IdP encoded twice, and be refused). The API takes
 * a string at run time (extHostWindow.openUri keeps it as is) although its type says Uri.
 */
export const openInBrowser: OpenBrowser = (url) => vscode.env.openExternal(url as unknown as vscode.Uri);

/**
 * The "Nyx" authentication provider: single sign-on through the team's identity provider. The
 * browser opens the IdP's page; the IdP sends it to the Nyx server, which sends it back to this
 * editor through its URI handler (`vscode://nyx-dev.nyx/sso`, or code-server's callback page)
 * with a one-time code. Only this window can redeem the code: it holds the PKCE verifier whose
 * hash it sent when it started. The session token then works like a pasted token (the connection
 * keeps it), and is refreshed before it expires.
 */
export class NyxAuthProvider extends Disposable implements vscode.AuthenticationProvider, vscode.UriHandler {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this.changed.event;
  private pending: PendingSignIn | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** How the IdP page is opened: the real browser unless a test says otherwise. */
  openBrowser: OpenBrowser = openInBrowser;
  private readonly secrets: vscode.SecretStorage;
  private readonly connection: Connection;
  private readonly extensionId: string;
  private readonly log: vscode.LogOutputChannel;

  constructor(secrets: vscode.SecretStorage, connection: Connection, extensionId: string, log: vscode.LogOutputChannel) {
    super();
    this.secrets = secrets;
    this.connection = connection;
    this.extensionId = extensionId;
    this.log = log;
    this.register(vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Nyx', this, { supportsMultipleAccounts: false }));
    this.register(vscode.window.registerUriHandler(this));
    this.register(toDisposable(() => clearTimeout(this.refreshTimer)));
  }

  /** After activation: a stored session is renewed now if it ran out while the editor was closed. */
  async resume(): Promise<void> {
    const stored = await this.stored();
    if (stored) this.scheduleRefresh(stored);
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const stored = await this.stored();
    return stored ? [toAuthSession(stored)] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const stored = await this.signIn();
    return toAuthSession(stored);
  }

  async removeSession(): Promise<void> {
    const stored = await this.stored();
    if (!stored) return;
    await this.forget(stored);
    // Best effort: the server ends the session and its refresh token; offline, it expires by itself.
    await new NyxClient(stored.serverUrl, stored.token).call(ssoRoutes.signOut).catch((error: unknown) => this.log.warn(`Could not end the session on the server: ${String(error)}`));
    this.changed.fire({ added: [], removed: [toAuthSession(stored)], changed: [] });
  }

  /** Whether the current connection runs on a single sign-on session (sign-out then ends it too). */
  async hasSession(): Promise<boolean> {
    return (await this.stored()) !== undefined;
  }

  /**
   * The whole sign-in: ask which team, start it on the server, open the browser, wait for the
   * editor URI to come back, trade the code. `team` skips the question (tests, a setting).
   */
  async signIn(team?: string): Promise<StoredSession> {
    const { serverUrl } = readConfig();
    const teamName = team ?? (await this.askTeam(serverUrl));
    if (!teamName) throw new vscode.CancellationError();
    const verifier = randomBytes(32).toString('base64url');
    const clientState = randomBytes(16).toString('base64url');
    const callback = await vscode.env.asExternalUri(vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}/sso`));
    const anonymous = new NyxClient(serverUrl, '');
    const started = await anonymous.call(ssoRoutes.start, {
      body: { team: teamName, redirectUri: callback.toString(true), clientState, codeChallenge: createHash('sha256').update(verifier).digest('base64url') },
    });
    const returned = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Nyx: signing in to ${teamName} in your browser…`, cancellable: true },
      async (_progress, cancellation) => {
        const arrived = this.waitForCallback(clientState, cancellation);
        const opened = await this.openBrowser(started.authorizationUrl);
        if (!opened) this.log.warn('The browser did not open; the sign-in page is ' + started.authorizationUrl);
        return arrived;
      },
    );
    const query = new URLSearchParams(returned.query);
    const error = query.get('error');
    if (error) throw new Error(`Single sign-on failed: ${query.get('error_description') ?? error}`);
    const code = query.get('code');
    if (!code) throw new Error('Single sign-on failed: the browser came back without a code.');
    const session = await anonymous.call(ssoRoutes.exchange, { body: { code, codeVerifier: verifier } });
    const stored = await this.adopt(serverUrl, session);
    this.changed.fire({ added: [toAuthSession(stored)], removed: [], changed: [] });
    this.log.info(`Signed in to ${serverUrl} through single sign-on as ${session.user.email} (${session.user.role} of ${session.tenant.name})`);
    return stored;
  }

  /** The editor URI the server sent the browser back to. Ignored unless it answers our own sign-in. */
  handleUri(uri: vscode.Uri): void {
    const state = new URLSearchParams(uri.query).get('state');
    if (this.pending && state === this.pending.clientState) {
      this.pending.resolve(uri);
      this.pending = undefined;
    } else {
      this.log.warn(`Ignored an editor URI that answers no sign-in of this window: ${uri.path}`);
    }
  }

  /** Trades the refresh token for the next session token; on refusal the session is gone. */
  async refresh(): Promise<StoredSession | undefined> {
    const stored = await this.stored();
    if (!stored) return undefined;
    try {
      const session = await new NyxClient(stored.serverUrl, '').call(ssoRoutes.refresh, { body: { refreshToken: stored.refreshToken } });
      const renewed = await this.adopt(stored.serverUrl, session);
      this.changed.fire({ added: [], removed: [], changed: [toAuthSession(renewed)] });
      this.log.info(`Renewed the single sign-on session for ${session.user.email} (until ${session.expiresAt})`);
      return renewed;
    } catch (error) {
      if (ServerProblemError.is(error) && (error.isUnauthorized || error.status === 403)) {
        this.log.warn(`The single sign-on session ended: ${error.message}`);
        await this.forget(stored);
        this.changed.fire({ added: [], removed: [toAuthSession(stored)], changed: [] });
        void vscode.window.showWarningMessage(`Nyx: your single sign-on session ended (${error.message}). Sign in again.`, 'Sign In with SSO').then((choice) => {
          if (choice) void vscode.commands.executeCommand('nyx.signInWithSso');
        });
        return undefined;
      }
      // Offline or a server error: try again in a minute, the token may still be valid.
      this.log.warn(`Could not renew the single sign-on session: ${String(error)}`);
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 60_000);
      return stored;
    }
  }

  private async adopt(serverUrl: string, session: SsoSession): Promise<StoredSession> {
    const stored: StoredSession = { ...session, serverUrl };
    await this.secrets.store(secretKey(serverUrl), JSON.stringify(stored));
    if (readConfig().serverUrl === serverUrl) await this.connection.signIn(session.token);
    this.scheduleRefresh(stored);
    return stored;
  }

  private async forget(stored: StoredSession): Promise<void> {
    clearTimeout(this.refreshTimer);
    await this.secrets.delete(secretKey(stored.serverUrl));
    if (readConfig().serverUrl === stored.serverUrl) await this.connection.signOut();
  }

  private scheduleRefresh(stored: StoredSession): void {
    clearTimeout(this.refreshTimer);
    const expiresAt = Date.parse(stored.expiresAt);
    const lifetime = Math.max(0, expiresAt - Date.now());
    const delay = Math.max(0, Math.min(lifetime - REFRESH_AHEAD_MS, lifetime * 0.9));
    // setTimeout takes at most 2^31-1 ms; longer sessions are re-checked after that.
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(delay, 2_000_000_000));
  }

  private async stored(): Promise<StoredSession | undefined> {
    const { serverUrl } = readConfig();
    const text = await this.secrets.get(secretKey(serverUrl));
    if (!text) return undefined;
    try {
      const parsed = SsoSession.safeParse(JSON.parse(text));
      return parsed.success ? { ...parsed.data, serverUrl } : undefined;
    } catch {
      return undefined;
    }
  }

  private waitForCallback(clientState: string, cancellation: vscode.CancellationToken): Promise<vscode.Uri> {
    return new Promise<vscode.Uri>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error('Single sign-on timed out: the browser did not come back within 5 minutes.')), SIGN_IN_TIMEOUT_MS);
      const cancelled = cancellation.onCancellationRequested(() => finish(new vscode.CancellationError()));
      const finish = (outcome: vscode.Uri | Error) => {
        clearTimeout(timer);
        cancelled.dispose();
        if (this.pending?.clientState === clientState) this.pending = undefined;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      this.pending = { clientState, resolve: (uri) => finish(uri) };
    });
  }

  private async askTeam(serverUrl: string): Promise<string | undefined> {
    const configured = vscode.workspace.getConfiguration('nyx').get<string>('ssoTeam')?.trim();
    if (configured) return configured;
    return vscode.window.showInputBox({
      title: `Nyx: Sign In with SSO to ${serverUrl}`,
      prompt: 'Your team\'s name or id on this Nyx server (set nyx.ssoTeam to skip this question)',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter the team name'),
    });
  }
}

function toAuthSession(stored: StoredSession): vscode.AuthenticationSession {
  return {
    id: stored.user.id,
    accessToken: stored.token,
    account: { id: stored.user.id, label: `${stored.user.email} (${stored.tenant.name})` },
    scopes: [],
  };
}

function secretKey(serverUrl: string): string {
  return `nyx.sso:${serverUrl}`;
}
