import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import { TooManyRequestsError, UnauthorizedError } from '#server/errors.ts';
import { recordSecurityEvent } from '#server/modules/audit/service.ts';
import type { EventBus } from '#server/events/bus.ts';
import { ApiToken } from './api-token.entity.ts';
import { hashToken, TOKEN_PATTERN, type Authenticated } from './service.ts';
import { TokenBuckets } from './token-buckets.ts';
import { effectiveRole, storedRole, storedScope } from './roles.ts';

interface TokenRow {
  id: string;
  tenant_id: string;
  user_id: string;
  prefix: string;
  scope: string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  role: string;
  removed_at: Date | string | null;
}

export interface AuthLimits {
  /** Failed authentications one address may make at once (token bucket capacity). */
  failureBurst: number;
  failurePerMinute: number;
  /** Requests per second per API token (burst twice that); 0: unlimited. */
  tokenRatePerSecond: number;
}

/** Where an unknown client address is counted: all such requests share one bucket. */
const UNKNOWN_ADDRESS = 'unknown';

interface CachedIdentity {
  identity: Authenticated;
  expiresAt: number;
}

/** last_used_at is a hint for people, not an audit trail: write it at most this often per token. */
const LAST_USED_WRITE_MS = 60_000;

/**
 * Turns an Authorization header into a tenant scope. Looks tokens up in the system context (the
 * tenant is not known yet), caches them briefly so the hot path costs no extra round trip, and
 * forgets a token at once when it is revoked: through this instance, another instance on the same
 * PostgreSQL, or the CLI (all announce it on the event bus).
 */
export class Authenticator {
  private readonly cache = new Map<string, CachedIdentity>();
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly orm: Orm;
  private readonly bus: EventBus;
  private readonly cacheMs: number;
  /** Counts revocations heard, so a lookup that raced one does not cache what it read before it. */
  private revocationsHeard = 0;
  /** Failed authentications per client address: guessing tokens gets 429s, not database work. */
  private readonly failures: TokenBuckets;
  private readonly perToken: TokenBuckets | null;
  /** The minute in which each address was last recorded as rate limited (one event per minute, not one per request). */
  private readonly limitedRecorded = new Map<string, number>();

  constructor(orm: Orm, bus: EventBus, cacheMs: number, limits: AuthLimits = { failureBurst: 60, failurePerMinute: 60, tokenRatePerSecond: 0 }) {
    this.orm = orm;
    this.bus = bus;
    this.cacheMs = cacheMs;
    this.failures = new TokenBuckets(limits.failureBurst, limits.failurePerMinute / 60);
    this.perToken = limits.tokenRatePerSecond > 0 ? new TokenBuckets(limits.tokenRatePerSecond * 2, limits.tokenRatePerSecond) : null;
    bus.subscribe((message) => {
      if (message.type === 'token.revoked') this.forgetToken(message.tokenId);
      // The bus was down: a revocation may have been missed, so trust nothing cached.
      if (message.type === 'resync') {
        this.revocationsHeard++;
        this.cache.clear();
      }
    });
  }

  async authenticate(header: string | undefined, remoteAddress: string | null): Promise<Authenticated> {
    const identity = { ...(await this.identify(header, remoteAddress)), remoteAddress };
    const allowed = this.perToken?.take(identity.tokenId);
    if (allowed && !allowed.ok) {
      throw new TooManyRequestsError(`This token made too many requests; retry in ${allowed.retryAfterSeconds} s (limit: NYX_TOKEN_RATE_LIMIT per second).`, allowed.retryAfterSeconds);
    }
    return identity;
  }

  /**
   * Whether an address may try another credential that is not a token (an invitation code):
   * the same bucket as failed authentications, so guessing codes is as slow as guessing tokens.
   */
  checkAttempt(remoteAddress: string | null): void {
    const address = remoteAddress ?? UNKNOWN_ADDRESS;
    const budget = this.failures.check(address);
    if (!budget.ok) {
      this.noteRateLimited(address, remoteAddress);
      throw new TooManyRequestsError(`Too many failed attempts from this address; retry in ${budget.retryAfterSeconds} s.`, budget.retryAfterSeconds);
    }
  }

  /** A failed attempt with a non-token credential: takes from the address's bucket and is recorded. */
  async failedAttempt(kind: 'invitation_invalid', remoteAddress: string | null, target: string | null, tenantId: string | null = null): Promise<void> {
    this.failures.take(remoteAddress ?? UNKNOWN_ADDRESS);
    await recordSecurityEvent(this.orm, { kind, remoteAddress, target, tenantId });
  }

  /**
   * A user's role changed or they were removed: drop what this instance and every other one
   * cached for those tokens, so the next request reads the new role. The same bus notice as a
   * revocation: it only means "look this token up again".
   */
  forgetTokens(tokenIds: string[]): void {
    for (const tokenId of tokenIds) this.revoked(tokenId);
  }

  private async identify(header: string | undefined, remoteAddress: string | null): Promise<Authenticated> {
    // A valid token is still accepted from an address that has used up its failures (a cached
    // identity costs nothing); only work that could be another guess is refused up front.
    const cachedHit = header ? this.cachedIdentity(header) : null;
    if (cachedHit) return cachedHit;
    const address = remoteAddress ?? UNKNOWN_ADDRESS;
    const budget = this.failures.check(address);
    if (!budget.ok) {
      this.noteRateLimited(address, remoteAddress);
      throw new TooManyRequestsError(`Too many failed authentications from this address; retry in ${budget.retryAfterSeconds} s.`, budget.retryAfterSeconds);
    }
    if (!header) {
      await this.reject('auth_missing', remoteAddress, null);
      throw new UnauthorizedError('Missing Authorization header: send "Authorization: Bearer <token>" (create one with `nyx-server token create`).');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match || !TOKEN_PATTERN.test(match[1])) {
      await this.reject('auth_malformed', remoteAddress, null);
      throw new UnauthorizedError('Malformed Authorization header: expected "Bearer nyx_..." with a Nyx API token.');
    }
    const hash = hashToken(match[1]);

    const heardBefore = this.revocationsHeard;
    // The token and its user's role in one round trip: the role is part of every check.
    const [row] = await systemEm(this.orm).execute<TokenRow[]>(
      `select t.id, t.tenant_id, t.user_id, t.prefix, t.scope, t.expires_at, t.revoked_at, u.role, u.removed_at
         from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
      [hash],
    );
    if (!row) {
      await this.reject('auth_invalid', remoteAddress, match[1].slice(0, 12));
      throw new UnauthorizedError('Invalid token: it is not known to this server.');
    }
    if (row.revoked_at || row.removed_at) {
      await this.reject('auth_revoked', remoteAddress, row.prefix, row.tenant_id, row.user_id);
      throw new UnauthorizedError('This token has been revoked; sign in with a new one.');
    }
    const expiresAt = row.expires_at ? new Date(row.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      await this.reject('auth_expired', remoteAddress, row.prefix, row.tenant_id, row.user_id);
      throw new UnauthorizedError(`This token expired at ${expiresAt.toISOString()}; create a new one.`);
    }
    const userRole = storedRole(row.role);
    const scope = storedScope(row.scope);
    const identity: Authenticated = {
      tenantId: row.tenant_id,
      userId: row.user_id,
      tokenId: row.id,
      userRole,
      scope,
      role: effectiveRole(userRole, scope),
      expiresAt,
    };
    if (this.cacheMs > 0 && heardBefore === this.revocationsHeard) {
      // Never trusted past its expiry, however long the cache would keep it.
      const until = Math.min(Date.now() + this.cacheMs, expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
      this.cache.set(hash, { identity, expiresAt: until });
    }
    this.touch(row.id);
    return identity;
  }

  private cachedIdentity(header: string): Authenticated | null {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match || !TOKEN_PATTERN.test(match[1])) return null;
    const cached = this.cache.get(hashToken(match[1]));
    return cached && cached.expiresAt > Date.now() ? cached.identity : null;
  }

  /** One security event per address and minute while it is refused; the refusals themselves write nothing. */
  private noteRateLimited(address: string, remoteAddress: string | null): void {
    const minute = Math.floor(Date.now() / 60_000);
    if (this.limitedRecorded.get(address) === minute) return;
    this.limitedRecorded.delete(address);
    this.limitedRecorded.set(address, minute);
    if (this.limitedRecorded.size > 10_000) this.limitedRecorded.delete(this.limitedRecorded.keys().next().value!);
    void recordSecurityEvent(this.orm, { kind: 'auth_rate_limited', remoteAddress, target: null }).catch(() => undefined);
  }

  /** After a revocation committed: this instance and every other one stop accepting the token now. */
  revoked(tokenId: string): void {
    this.forgetToken(tokenId);
    this.bus.publish({ type: 'token.revoked', tokenId });
  }

  private forgetToken(tokenId: string): void {
    this.revocationsHeard++;
    for (const [hash, entry] of this.cache) if (entry.identity.tokenId === tokenId) this.cache.delete(hash);
  }

  private touch(tokenId: string): void {
    const last = this.lastUsedWritten.get(tokenId) ?? 0;
    if (Date.now() - last < LAST_USED_WRITE_MS) return;
    this.lastUsedWritten.set(tokenId, Date.now());
    const em = systemEm(this.orm);
    void em.nativeUpdate(ApiToken, { id: tokenId }, { lastUsedAt: new Date() }).catch(() => undefined);
  }

  private async reject(
    kind: 'auth_missing' | 'auth_malformed' | 'auth_invalid' | 'auth_revoked' | 'auth_expired',
    remoteAddress: string | null,
    target: string | null,
    tenantId: string | null = null,
    actorUserId: string | null = null,
  ): Promise<void> {
    this.failures.take(remoteAddress ?? UNKNOWN_ADDRESS);
    await recordSecurityEvent(this.orm, { kind, remoteAddress, target, tenantId, actorUserId });
  }
}
