import { TooManyRequestsError } from '#server/errors.ts';
import { TokenBuckets } from '#server/modules/tenancy/token-buckets.ts';

const UNKNOWN_ADDRESS = 'unknown';

/**
 * The single sign-on routes take no token, so they are limited per client address like failed
 * authentications: starts (each writes a row) and failures (wrong state, code, verifier or
 * refresh token) each have a bucket. Over it: 429 before any database work.
 */
export class SsoLimits {
  readonly #starts: TokenBuckets;
  readonly #failures: TokenBuckets;

  constructor(startsPerMinute = 30, failuresPerMinute = 20) {
    this.#starts = new TokenBuckets(startsPerMinute, startsPerMinute / 60);
    this.#failures = new TokenBuckets(failuresPerMinute, failuresPerMinute / 60);
  }

  takeStart(address: string | null): void {
    const result = this.#starts.take(address ?? UNKNOWN_ADDRESS);
    if (!result.ok) throw new TooManyRequestsError(`Too many sign-ins started from this address; retry in ${result.retryAfterSeconds} s.`, result.retryAfterSeconds);
  }

  checkFailures(address: string | null): void {
    const result = this.#failures.check(address ?? UNKNOWN_ADDRESS);
    if (!result.ok) throw new TooManyRequestsError(`Too many failed sign-in steps from this address; retry in ${result.retryAfterSeconds} s.`, result.retryAfterSeconds);
  }

  takeFailure(address: string | null): void {
    this.#failures.take(address ?? UNKNOWN_ADDRESS);
  }
}
