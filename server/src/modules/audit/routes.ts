import Router from '@koa/router';
import { auditRoutes } from '#protocol/team.ts';
import type { Orm } from '#server/db/orm.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, type MountDeps } from '#server/http/mount.ts';
import { readAuditLog, readSecurityLog } from './log.ts';

/** The audit and security logs, for admins (the contracts say `role: 'admin'`). */
export function auditRouter(orm: Orm, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  mount(router, deps, auditRoutes.audit, ({ auth, query }) => readAuditLog(orm, auth, query));
  mount(router, deps, auditRoutes.securityEvents, ({ auth, query }) => readSecurityLog(orm, auth, query));
  return router;
}
