import type Router from '@koa/router';
import type { z } from 'zod';
import { ValidationError } from '#server/errors.ts';
import type { RouteContract } from '#protocol/routes.ts';
import type { Authenticator } from '#server/modules/tenancy/authenticator.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { requiredRole, requireRole } from '#server/modules/tenancy/roles.ts';
import { EMPTY_BODY, readJsonBody } from './body.ts';
import type { NyxContext, NyxState } from './context.ts';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<C extends RouteContract> {
  body: Parsed<C['body']>;
  query: Parsed<C['query']>;
  /** The path parameters, parsed by the contract's `params` when it declares them. */
  params: Record<string, string>;
  auth: C['auth'] extends true ? Authenticated : undefined;
  ctx: NyxContext;
}

export interface MountDeps {
  authenticator: Authenticator;
  bodyLimitBytes: number;
}

/** Turns a zod failure into a 400 naming the first wrong field, with every problem listed. */
export function validationErrorFrom(error: z.ZodError, root: string): ValidationError {
  const errors = error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)].map(String);
    const field = path.length ? path.join('.') : root;
    return { field, message: issue.message };
  });
  const first = errors[0];
  return new ValidationError(`${first.field}: ${first.message}`, first.field, errors);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, root);
  return result.data;
}

/**
 * Binds a contract from protocol/ to a handler: authenticates, checks the caller's role against
 * the contract's (403 naming the missing role), parses and validates, then sets
 * status and body. Routes stay thin; services do the work.
 */
export function mount<C extends RouteContract>(
  router: Router<NyxState>,
  deps: MountDeps,
  contract: C,
  handler: (input: HandlerInput<C>) => Promise<unknown>,
): void {
  router[contract.method](contract.path, async (ctx: NyxContext) => {
    const auth = contract.auth ? await deps.authenticator.authenticate(ctx.get('authorization') || undefined, ctx.ip || null) : undefined;
    ctx.state.auth = auth;
    // Before anything of the request is read: a refused call is answered the same whatever it
    // carried, and never reaches a service.
    if (auth) requireRole(auth, requiredRole(contract));
    const rawParams = (ctx as unknown as { params: Record<string, string> }).params ?? {};
    // Ids are checked before the body is read: a non-UUID never reaches a query.
    const params = contract.params ? parseWith(contract.params, rawParams, 'path') : rawParams;
    const rawBody = contract.body ? await readJsonBody(ctx.req, deps.bodyLimitBytes) : undefined;
    // Only an empty body stands for "no fields"; a JSON null or array is the schema's to refuse.
    const body = contract.body ? parseWith(contract.body, rawBody === EMPTY_BODY ? {} : rawBody, 'body') : undefined;
    const query = contract.query ? parseWith(contract.query, ctx.query, 'query') : undefined;
    // Set first so a handler can still choose another status (e.g. 503 from a health check).
    ctx.status = contract.status ?? 200;
    const result = await handler({ body, query, params, auth, ctx } as HandlerInput<C>);
    if (ctx.status !== 204) ctx.body = result;
  });
}
