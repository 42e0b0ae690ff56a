import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { metricsRoutes } from '#protocol/metrics.ts';
import { NotFoundError } from '#server/errors.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import { mount } from '#server/http/mount.ts';
import type { AppServices, MountDeps } from '#server/services.ts';
import { metricsFor } from './registry.ts';

/** The socket's peer, not X-Forwarded-For: a header would let anyone claim to be local. */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function hasMetricsToken(ctx: NyxContext, token: string | null): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization').trim());
  if (!match) return false;
  const sent = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

export function metricsRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { registry } = metricsFor(services.orm);
  mount(router, deps, metricsRoutes.metrics, async ({ ctx }) => {
    if (!isLoopback(ctx.req.socket.remoteAddress) && !hasMetricsToken(ctx, services.config.metricsToken)) {
      // The same answer as an unknown route: the public interface does not reveal it.
      throw new NotFoundError(`route ${ctx.method} ${ctx.path}`);
    }
    const text = await registry.metrics();
    ctx.type = registry.contentType;
    return text;
  });
  return router;
}
