import type { ParameterizedContext } from 'koa';
import type { Logger } from '#server/logger.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';

/** What every request carries through the middleware chain. */
export interface NyxState {
  requestId: string;
  log: Logger;
  auth?: Authenticated;
}

export type NyxContext = ParameterizedContext<NyxState>;
