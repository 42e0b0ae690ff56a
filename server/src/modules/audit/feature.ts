// The audit feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { AuditEvent } from './audit-event.entity.ts';
import { SecurityEvent } from './security-event.entity.ts';
import { startSecurityEventPruning } from './security-event-pruning.ts';

/** The audit and security logs every feature writes to; no routes of its own. */
export const auditFeature: Feature = {
  name: 'audit',
  contracts: {},
  runKinds: [],
  entities: [AuditEvent, SecurityEvent],
  eventKinds: [],
  start: startSecurityEventPruning,
};
