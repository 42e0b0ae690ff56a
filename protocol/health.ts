import { z } from 'zod';
import { route } from './routes.ts';

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});

export const DatabaseHealth = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  database: z.enum(['embedded', 'external']),
  roundTripMs: z.number().nullable(),
  pendingMigrations: z.number().int().nullable(),
  pgvectorVersion: z.string().nullable(),
  serverVersion: z.string().nullable(),
  error: z.string().optional(),
});
export type DatabaseHealth = z.infer<typeof DatabaseHealth>;

export const healthRoutes = {
  health: route({ method: 'get', path: '/api/health', summary: 'Service liveness', auth: false, response: Health }),
  database: route({ method: 'get', path: '/api/health/db', alsoStatus: [503], summary: 'Database reachability, migrations and pgvector', auth: false, response: DatabaseHealth }),
};
