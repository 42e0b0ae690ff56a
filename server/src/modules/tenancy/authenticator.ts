import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import { UnauthorizedError } from '#server/errors.ts';
import { recordSecurityEvent } from '#server/modules/audit/service.ts';
import type { EventBus } from '#server/events/bus.ts';
import { ApiToken } from './api-token.entity.ts';
import { hashToken, TOKEN_PATTERN, type Authenticated } from './service.ts';

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

  constructor(orm: Orm, bus: EventBus, cacheMs: number) {
    this.orm = orm;
    this.bus = bus;
    this.cacheMs = cacheMs;
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
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.identity;

    const heardBefore = this.revocationsHeard;
    const em = systemEm(this.orm);
    const row = await em.findOne(ApiToken, { tokenHash: hash });
    if (!row) {
      await this.reject('auth_invalid', remoteAddress, match[1].slice(0, 12));
      throw new UnauthorizedError('Invalid token: it is not known to this server.');
    }
    if (row.revokedAt) {
      await this.reject('auth_revoked', remoteAddress, row.prefix, row.tenantId, row.userId);
      throw new UnauthorizedError('This token has been revoked; sign in with a new one.');
    }
    const identity: Authenticated = { tenantId: row.tenantId, userId: row.userId, tokenId: row.id };
    if (this.cacheMs > 0 && heardBefore === this.revocationsHeard) this.cache.set(hash, { identity, expiresAt: Date.now() + this.cacheMs });
    this.touch(row.id);
    return identity;
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
    kind: 'auth_missing' | 'auth_malformed' | 'auth_invalid' | 'auth_revoked',
    remoteAddress: string | null,
    target: string | null,
    tenantId: string | null = null,
    actorUserId: string | null = null,
  ): Promise<void> {
    await recordSecurityEvent(this.orm, { kind, remoteAddress, target, tenantId, actorUserId });
  }
}
