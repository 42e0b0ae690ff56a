// The cap on security_events: aggregation bounds what one source adds per minute; this bounds
// what many sources (a spread-out attack, or years of ordinary failures) add over time.
import type { AppServices } from '#server/services.ts';
import { pruneSecurityEvents } from './service.ts';

const PRUNE_EVERY_MS = 10 * 60_000;

export function startSecurityEventPruning(services: Pick<AppServices, 'orm' | 'log' | 'config'>): () => void {
  const prune = () =>
    pruneSecurityEvents(services.orm, services.config.securityEventsMax)
      .then((removed) => removed && services.log.info({ removed, max: services.config.securityEventsMax }, 'pruned the oldest security events'))
      .catch((error) => services.log.warn({ err: error }, 'could not prune security events'));
  const first = setTimeout(prune, 5_000);
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
