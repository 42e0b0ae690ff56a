// The audit feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { auditRoutes } from '#protocol/team.ts';
import { auditRouter } from './routes.ts';
import { AuditEvent } from './audit-event.entity.ts';
import { SecurityEvent } from './security-event.entity.ts';
import { startSecurityEventPruning } from './security-event-pruning.ts';

/** The audit and security logs every feature writes to, and the routes admins read them with. */
export const auditFeature: Feature = {
  name: 'audit',
  contracts: auditRoutes,
  router: (services, deps) => auditRouter(services.orm, deps),
  runKinds: [],
  entities: [AuditEvent, SecurityEvent],
  eventKinds: [],
  start: startSecurityEventPruning,
};
