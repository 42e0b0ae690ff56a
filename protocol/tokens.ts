import { z } from 'zod';
import { route } from './routes.ts';

export const TokenInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  userId: z.uuid(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const TokenList = z.object({ items: z.array(TokenInfo) });

export const Me = z.object({
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  user: z.object({ id: z.uuid(), email: z.string() }),
});
export type Me = z.infer<typeof Me>;

/** Ids in paths are UUIDs in the contract, so anything else is a 400 naming the param. */
export const TokenIdParams = z.object({ id: z.uuid() });

export const tokenRoutes = {
  me: route({ method: 'get', path: '/api/v1/me', summary: 'Who the token belongs to', auth: true, response: Me }),
  list: route({ method: 'get', path: '/api/v1/tokens', summary: 'List the tenant\'s API tokens (never the secrets)', auth: true, response: TokenList }),
  revoke: route({ method: 'post', path: '/api/v1/tokens/:id/revoke', params: TokenIdParams, summary: 'Revoke an API token', auth: true, response: TokenInfo }),
};
