import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError, TooManyRequestsError, ValidationError } from '#server/errors.ts';
import { constraintViolationToAppError } from '#server/db/constraint-errors.ts';
import type { Logger } from '#server/logger.ts';
import type { Problem } from '#protocol/problem.ts';
import type { NyxState } from './context.ts';
import { finishSecurityHeaders, setSecurityHeaders } from './security-headers.ts';
import { findBadUrlText } from './text-guard.ts';

/** First in the chain: gives the request an id and a logger, and turns every error into a problem document. */
export function requestMiddleware(log: Logger): Middleware<NyxState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.log = log.child({ requestId: ctx.state.requestId });
    ctx.set('x-request-id', ctx.state.requestId);
    const started = performance.now();
    setSecurityHeaders(ctx);
    try {
      // Before routing: a NUL or invalid UTF-8 in the path or query is a 400 on every route.
      const bad = findBadUrlText(ctx.path, ctx.querystring);
      if (bad) throw new ValidationError(`${bad.field}: ${bad.message}`, bad.field);
      await next();
    } catch (error) {
      const problem = toProblem(error, ctx.state.requestId);
      if (problem.status >= 500) ctx.state.log.error({ err: error }, 'request failed');
      ctx.status = problem.status;
      if (error instanceof TooManyRequestsError) ctx.set('retry-after', String(error.retryAfterSeconds));
      ctx.type = 'application/problem+json';
      ctx.body = problem;
    }
    finishSecurityHeaders(ctx);
    ctx.state.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
  };
}

function toProblem(thrown: unknown, requestId: string): Problem {
  const error = constraintViolationToAppError(thrown) ?? thrown;
  if (AppError.is(error)) {
    const problem: Problem = {
      type: `https://nyx.dev/problems/${error.code}`,
      title: error.code.replaceAll('_', ' '),
      status: error.status,
      detail: error.message,
      code: error.code,
      requestId,
    };
    if (error.field) problem.field = error.field;
    if (Array.isArray(error.details)) problem.errors = error.details as Problem['errors'];
    return problem;
  }
  return {
    type: 'https://nyx.dev/problems/internal',
    title: 'internal error',
    status: 500,
    detail: `Something went wrong on the server. Quote request id ${requestId} when reporting it.`,
    code: 'internal',
    requestId,
  };
}
