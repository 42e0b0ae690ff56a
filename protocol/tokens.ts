import { z } from 'zod';
import { Role } from './roles.ts';
import { route } from './routes.ts';

/**
 * What a token may do, at most: `read` acts as a viewer, `write` as a member, `admin` with the
 * whole role of its user. The effective role is the weaker of the scope's cap and the user's role.
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export const TokenScope = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof TokenScope>;

export const TokenInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  userId: z.uuid(),
  scope: TokenScope,
  /** Null: the token does not expire. */
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;
export const TokenList = z.object({ items: z.array(TokenInfo) });

export const TokenCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** Defaults to `write`. A token can never be given more than the token that creates it has. */
  scope: TokenScope.default('write'),
  /** Days until it expires (default 90); `null`: never. */
  expiresInDays: z.int().min(1).max(3650).nullable().default(90),
});
export type TokenCreate = z.input<typeof TokenCreate>;

/** The secret is in this answer only: it is stored as a hash. */
export const IssuedToken = z.object({ token: TokenInfo, secret: z.string() });
export type IssuedToken = z.infer<typeof IssuedToken>;

export const Me = z.object({
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string().nullable(), role: Role }),
  /** The token's scope, and the role it acts with (the user's role, capped by the scope). */
  token: z.object({ id: z.uuid(), scope: TokenScope, role: Role, expiresAt: z.string().nullable() }),
});
export type Me = z.infer<typeof Me>;

/** Ids in paths are UUIDs in the contract, so anything else is a 400 naming the param. */
export const TokenIdParams = z.object({ id: z.uuid() });

export const tokenRoutes = {
  me: route({ method: 'get', path: '/api/v1/me', summary: 'Who the token belongs to, its role and scope', auth: true, response: Me }),
  list: route({
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'List API tokens, never the secrets: your own, or every token of the team for admins',
    auth: true,
    response: TokenList,
  }),
  // Viewers may make read tokens for a second machine; the scope is capped by the caller's token.
  create: route({
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create a personal API token (the secret is shown once)',
    auth: true,
    role: 'viewer',
    body: TokenCreate,
    response: IssuedToken,
    status: 201,
    errors: [403],
  }),
  // Your own tokens at any role; another member's needs admin (checked by the service: 403).
  revoke: route({
    method: 'post',
    path: '/api/v1/tokens/:id/revoke',
    params: TokenIdParams,
    summary: 'Revoke an API token (yours, or anyone\'s for admins)',
    auth: true,
    role: 'viewer',
    response: TokenInfo,
    errors: [403],
  }),
};
