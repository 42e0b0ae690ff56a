// Turns the official SDKs' errors (both are generated from the same template and share their
// error shapes) into ProviderError with a failure kind, the HTTP status and the Retry-After delay.
import { ProviderError, parseRetryAfter, type ProviderFailureKind } from './errors.ts';
import { scrubSecrets } from './scrub.ts';
import type { ProviderId } from './types.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface SdkErrorClasses {
  APIError: ErrorClass;
  APIConnectionError: ErrorClass;
  APIConnectionTimeoutError: ErrorClass;
  APIUserAbortError: ErrorClass;
}

export interface AbortContext {
  /** The caller's signal: when it fired, the call was cancelled rather than failed. */
  callerSignal?: AbortSignal;
  /** Set when our own idle timer aborted the request. */
  timedOut: boolean;
  timeoutMs: number;
  /** The key this adapter sends: cut out of any error text that echoes it. */
  apiKey?: string;
}

export function mapSdkError(
  provider: ProviderId,
  error: unknown,
  classes: SdkErrorClasses,
  abort: AbortContext,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const cause = error;
  const clean = (message: string) => scrubSecrets(message, [abort.apiKey]);
  if (abort.timedOut || error instanceof classes.APIConnectionTimeoutError) {
    return new ProviderError({ provider, kind: 'timeout', message: `no response within ${abort.timeoutMs} ms`, cause });
  }
  if (abort.callerSignal?.aborted || error instanceof classes.APIUserAbortError) {
    return new ProviderError({ provider, kind: 'cancelled', message: 'request cancelled', cause });
  }
  if (error instanceof classes.APIConnectionError) {
    return new ProviderError({ provider, kind: 'connection_error', message: clean(error.message), cause });
  }
  if (error instanceof classes.APIError) {
    const { status, headers } = error as Error & { status?: number; headers?: Headers };
    return new ProviderError({
      provider,
      kind: kindOfStatus(status, error.message),
      status,
      retryAfterMs: parseRetryAfter(headers),
      message: clean(error.message),
      // No cause: the SDK error holds the provider's raw body, which may echo the key, and a
      // logged error serializes its cause. Status, headers and text are already taken from it.
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({ provider, kind: 'error', message: clean(message), cause });
}

function kindOfStatus(status: number | undefined, message: string): ProviderFailureKind {
  if (status === undefined) {
    // An error event inside an otherwise successful stream carries no status, only a body.
    return /overloaded/i.test(message) ? 'overloaded' : 'server_error';
  }
  if (status === 401 || status === 403) return 'auth_error';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'bad_request';
  return 'error';
}

/**
 * Yields what `source` yields, but aborts (via `onIdle`) and throws when no item arrives within
 * `ms`. The SDKs' own timeout only covers the wait for response headers, not a stream that stalls.
 */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, ms: number, onIdle: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => resolve('idle'), ms);
      });
      const pending = iterator.next();
      const next = await Promise.race([pending, idle]).finally(() => clearTimeout(timer));
      if (next === 'idle') {
        finished = true; // the stalled next() settles (rejects) once onIdle aborted the request
        pending.catch(() => undefined);
        onIdle();
        throw new Error(`stream idle for ${ms} ms`);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
