// Token buckets keyed by a client address or an API token id. A bucket holds up to `capacity`
// tokens and gains `refillPerSecond`; each counted event takes one. Memory is bounded: past
// MAX_KEYS the least recently used buckets are dropped (a dropped bucket starts full again,
// which only ever errs toward letting a client in).

const MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #capacity: number;
  readonly #refillPerSecond: number;
  readonly #now: () => number;

  constructor(capacity: number, refillPerSecond: number, now: () => number = Date.now) {
    this.#capacity = capacity;
    this.#refillPerSecond = refillPerSecond;
    this.#now = now;
  }

  /** Would `take` succeed? Does not consume (a refused failure must not be counted twice). */
  check(key: string): TakeResult {
    const bucket = this.#refilled(key);
    return bucket.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: this.#secondsUntilOne(bucket) };
  }

  take(key: string): TakeResult {
    const bucket = this.#refilled(key);
    if (bucket.tokens < 1) return { ok: false, retryAfterSeconds: this.#secondsUntilOne(bucket) };
    bucket.tokens -= 1;
    return { ok: true };
  }

  #refilled(key: string): Bucket {
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#refillPerSecond);
      bucket.updatedAt = now;
      this.#buckets.delete(key); // re-inserted below: Map order is our LRU order
    } else {
      bucket = { tokens: this.#capacity, updatedAt: now };
      if (this.#buckets.size >= MAX_KEYS) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #secondsUntilOne(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#refillPerSecond));
  }
}
