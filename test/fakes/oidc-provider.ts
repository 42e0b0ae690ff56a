// A real OpenID Connect provider on loopback for the single sign-on tests: the `oidc-provider`
// package (the certified implementation many IdPs are built on), with its development login and
// consent pages. Tests drive those pages over plain HTTP (test/fakes/oidc-browser.ts); nothing of
// our own client is faked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { startLoopbackServer } from './loopback-server.ts';

export interface IdpAccount {
  email: string;
  /** Omitted: true. */
  emailVerified?: boolean;
  name?: string;
  groups: string[];
}

export interface FakeIdp {
  /** http://<loopback host>:<port>: the issuer and its discovery document's base. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Accounts by login name (the login form's "login" field). Tests change them between sign-ins. */
  readonly accounts: Map<string, IdpAccount>;
  close(): Promise<void>;
}

export interface FakeIdpOptions {
  /** Our callback URL(s): the IdP refuses any redirect_uri not registered for the client. */
  redirectUris: string[];
  /** Give the client refresh tokens (default true). */
  refreshTokens?: boolean;
  /** Put the claims into the ID token as well as userinfo (default false: userinfo only, like Okta's default). */
  claimsInIdToken?: boolean;
  /** The loopback address to listen on (default 127.0.0.1). */
  host?: string;
}

export async function startFakeIdp(options: FakeIdpOptions): Promise<FakeIdp> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = await startLoopbackServer((req, res) => handle(req, res), options.host);
  const accounts = new Map<string, IdpAccount>();
  const clientId = 'nyx-test';
  const clientSecret = 'nyx-test-client-secret-0123456789';
  const grantTypes = options.refreshTokens === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'];

  const provider = new Provider(server.origin, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: grantTypes,
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: options.claimsInIdToken !== true,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    // Every sign-in of a client allowed to refresh gets a refresh token (no offline_access dance).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['nyx-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, RefreshToken: 86_400, IdToken: 600 },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const current = accounts.get(sub) ?? account;
          return { sub, email: current.email, email_verified: current.emailVerified ?? true, name: current.name ?? sub, groups: current.groups };
        },
      };
    },
  });
  // The development interactions print a warning per start; the tests know.
  provider.on('server_error', (_ctx, error) => console.error('fake IdP server_error', error));
  const callback = provider.callback();
  handle = (req, res) => void callback(req, res);

  return { issuer: server.origin, clientId, clientSecret, accounts, close: () => server.close() };
}
