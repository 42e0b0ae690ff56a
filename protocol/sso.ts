import { z } from 'zod';
import { Role } from './roles.ts';
import { route } from './routes.ts';

// Single sign-on with OpenID Connect (docs/team-admin.md#single-sign-on): an admin stores the
// team's identity provider; editors sign in through it and get a Nyx session token that the
// server refreshes and re-maps to a role (from the IdP's group claim) on every sign-in.

/** A scope as RFC 6749 spells it: printable ASCII without spaces, quotes or backslashes. */
const ScopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/, 'a scope is printable ASCII without spaces');

export const SsoConfigInput = z.strictObject({
  /** The issuer as the IdP names it (its `/.well-known/openid-configuration` is read from there). https, or http on loopback. */
  issuerUrl: z.url({ protocol: /^https?$/ }).max(500),
  clientId: z.string().trim().min(1).max(300),
  /** Omitted: keep the stored one. `null`: a public client (PKCE only, no secret). Stored encrypted. */
  clientSecret: z.string().min(1).max(2000).nullable().optional(),
  scopes: z.array(ScopeToken).min(1).max(20).refine((scopes) => scopes.includes('openid'), 'must include "openid"').default(['openid', 'email', 'profile']),
  /** The claim (in the ID token or the userinfo answer) that lists the user's groups. */
  groupsClaim: z.string().trim().min(1).max(100).default('groups'),
  /** IdP group → Nyx role. With several matches the strongest role wins. Empty: roles are managed in Nyx only. */
  groupRoles: z
    .record(z.string().min(1).max(300), Role)
    .refine((map) => Object.keys(map).length <= 200, 'at most 200 groups')
    .default({}),
  /** The role of a user none of whose groups is mapped; `null` refuses such users. */
  defaultRole: Role.nullable().default('member'),
  /** Create the member on the first sign-in of an unknown email (otherwise an invitation for that email is needed). */
  allowSignup: z.boolean().default(false),
  /** Lifetime of a Nyx session token (hours); it is refreshed before it runs out. */
  sessionHours: z.int().min(1).max(720).default(12),
  /** How long a session can be refreshed without signing in again (days). */
  refreshDays: z.int().min(1).max(365).default(30),
  /**
   * Where the browser may be sent back to besides loopback addresses and editor URI schemes
   * (`vscode://`...): origins of browser-based editors, e.g. `https://code.example.com`.
   */
  redirectOrigins: z.array(z.url({ protocol: /^https?$/ }).max(300)).max(20).default([]),
  enabled: z.boolean().default(true),
});
export type SsoConfigInput = z.input<typeof SsoConfigInput>;

export const SsoConfig = z.object({
  issuerUrl: z.string(),
  clientId: z.string(),
  /** The secret itself is never answered. */
  hasClientSecret: z.boolean(),
  scopes: z.array(z.string()),
  groupsClaim: z.string(),
  groupRoles: z.record(z.string(), Role),
  defaultRole: Role.nullable(),
  allowSignup: z.boolean(),
  sessionHours: z.int(),
  refreshDays: z.int(),
  redirectOrigins: z.array(z.string()),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type SsoConfig = z.infer<typeof SsoConfig>;

export const SsoConfigAnswer = z.object({
  config: SsoConfig.nullable(),
  /** The redirect URI to register at the identity provider for this server. */
  callbackUrl: z.string(),
});
export type SsoConfigAnswer = z.infer<typeof SsoConfigAnswer>;

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url characters only');

export const SsoStart = z.strictObject({
  /** The team's id or name. */
  team: z.string().trim().min(1).max(200),
  /**
   * Where the browser goes after the IdP: a loopback http URL, an editor URI (`vscode://...`) or an
   * origin the team allowed (`redirectOrigins`). It receives `code` and `state`, or `error`.
   */
  redirectUri: z.url().max(2000),
  /** Echoed back to `redirectUri` as `state`, so the client can tell its own sign-in apart. */
  clientState: Base64Url.min(8).max(200),
  /** base64url(SHA-256(verifier)): only who holds the verifier can exchange the code (RFC 7636, S256). */
  codeChallenge: Base64Url.length(43),
});
export type SsoStart = z.input<typeof SsoStart>;

export const SsoStarted = z.object({ authorizationUrl: z.string(), expiresAt: z.string() });
export type SsoStarted = z.infer<typeof SsoStarted>;

/** What the identity provider sends the browser back with (IdPs add parameters of their own: kept, ignored). */
export const SsoCallbackQuery = z.object({
  code: z.string().max(4000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(500).optional(),
});

export const SsoExchange = z.strictObject({
  code: Base64Url.min(20).max(200),
  codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'an RFC 7636 code verifier: 43 to 128 unreserved characters'),
});
export type SsoExchange = z.input<typeof SsoExchange>;

export const SsoRefresh = z.strictObject({ refreshToken: z.string().regex(/^nyxr_[A-Za-z0-9_-]{40}$/, 'a Nyx refresh token (nyxr_...)') });
export type SsoRefresh = z.input<typeof SsoRefresh>;

export const SsoSession = z.object({
  /** A Nyx API token (scope `admin`: the member's whole role) that expires at `expiresAt`. */
  token: z.string(),
  tokenId: z.uuid(),
  expiresAt: z.string(),
  /** Trade it for a fresh token at `POST /api/v1/sso/refresh` before `refreshExpiresAt`; each use rotates it. */
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string().nullable(), role: Role }),
});
export type SsoSession = z.infer<typeof SsoSession>;

export const ssoRoutes = {
  getConfig: route({
    method: 'get',
    path: '/api/v1/sso/config',
    summary: 'The team\'s single sign-on settings (never the client secret) and the redirect URI to register at the IdP',
    auth: true,
    role: 'admin',
    response: SsoConfigAnswer,
  }),
  putConfig: route({
    method: 'put',
    path: '/api/v1/sso/config',
    summary: 'Set the team\'s OpenID Connect provider, group → role mapping and session lifetimes (the issuer is checked by discovery)',
    auth: true,
    role: 'admin',
    body: SsoConfigInput,
    response: SsoConfigAnswer,
    errors: [422],
  }),
  deleteConfig: route({ method: 'delete', path: '/api/v1/sso/config', summary: 'Turn single sign-on off and forget its settings', auth: true, role: 'admin', status: 204 }),
  // No token: this is how a token is obtained. The browser then goes to `authorizationUrl`.
  start: route({
    method: 'post',
    path: '/api/v1/sso/start',
    summary: 'Begin a single sign-on: answers the identity provider URL to open in the browser',
    auth: false,
    body: SsoStart,
    response: SsoStarted,
    status: 201,
    errors: [429, 502],
  }),
  callback: route({
    method: 'get',
    path: '/api/v1/sso/callback',
    summary: 'Where the identity provider sends the browser back: checks state, PKCE and nonce, then redirects to the client with a one-time code',
    auth: false,
    query: SsoCallbackQuery,
    status: 302,
    errors: [429],
  }),
  exchange: route({
    method: 'post',
    path: '/api/v1/sso/token',
    summary: 'Trade the one-time code (with the PKCE verifier of the start) for a Nyx session token',
    auth: false,
    body: SsoExchange,
    response: SsoSession,
    status: 201,
    errors: [429],
  }),
  refresh: route({
    method: 'post',
    path: '/api/v1/sso/refresh',
    summary: 'Trade a refresh token for a fresh session token (roles re-mapped when the IdP gave a refresh token)',
    auth: false,
    body: SsoRefresh,
    response: SsoSession,
    status: 201,
    errors: [401, 403, 429],
  }),
  signOut: route({
    method: 'post',
    path: '/api/v1/sso/sign-out',
    summary: 'End the single sign-on session of the calling token (the token and its refresh token); 409 for a personal token',
    auth: true,
    role: 'viewer',
    status: 204,
  }),
};
