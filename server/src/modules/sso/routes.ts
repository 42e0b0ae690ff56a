import Router from '@koa/router';
import { ssoRoutes } from '#protocol/sso.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import { mount, type MountDeps } from '#server/http/mount.ts';
import type { AppServices } from '#server/services.ts';
import { CALLBACK_PATH, deleteSsoConfig, readSsoConfig, storeSsoConfig } from './config-service.ts';
import { SsoLimits } from './limits.ts';
import { refreshSession, signOut } from './refresh.ts';
import { exchangeCode, finishCallback, startSignIn, type SsoContext } from './sign-in.ts';

/**
 * Our redirect URI at the IdP. NYX_PUBLIC_URL when set (behind a proxy the request's own origin is
 * the proxy's view); else the origin the request came in on.
 */
function callbackUrl(services: AppServices, ctx: NyxContext): string {
  const base = (services.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
  return `${base}${CALLBACK_PATH}`;
}

export function ssoRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const sso: SsoContext = {
    orm: services.orm,
    secretBox: services.secretBox,
    limits: new SsoLimits(services.config.authFailureBurst, services.config.authFailurePerMinute),
  };

  mount(router, deps, ssoRoutes.getConfig, ({ auth, ctx }) => readSsoConfig(services.orm, auth, callbackUrl(services, ctx)));
  mount(router, deps, ssoRoutes.putConfig, ({ auth, body, ctx }) => storeSsoConfig(services.orm, services.secretBox, auth, body, callbackUrl(services, ctx)));
  mount(router, deps, ssoRoutes.deleteConfig, async ({ auth }) => {
    await deleteSsoConfig(services.orm, auth);
  });

  mount(router, deps, ssoRoutes.start, ({ body, ctx }) => startSignIn(sso, body, callbackUrl(services, ctx), ctx.ip || null));
  mount(router, deps, ssoRoutes.callback, async ({ query, ctx }) => {
    const target = await finishCallback(sso, query, ctx.querystring, ctx.ip || null);
    ctx.redirect(target);
    ctx.type = 'text/plain';
    return 'Signed in: returning to your editor.';
  });
  mount(router, deps, ssoRoutes.exchange, ({ body, ctx }) => exchangeCode(sso, body, ctx.ip || null));
  mount(router, deps, ssoRoutes.refresh, ({ body, ctx }) => refreshSession(sso, deps.authenticator, body, ctx.ip || null));
  mount(router, deps, ssoRoutes.signOut, async ({ auth }) => {
    await signOut(sso, deps.authenticator, auth);
  });

  return router;
}
