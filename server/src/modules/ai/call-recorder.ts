// The DB-backed CallRecorder: one ai_calls row per provider attempt, each in its own short
// transaction opened after the attempt ended (never one held open across a model call).
import type { CallRecord, CallRecorder } from '#server/modules/ai/engine/types.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { AiCall } from './ai-call.entity.ts';
import { scrubSecrets } from './engine/scrub.ts';

const MAX_ERROR_MESSAGE = 2_000;

export interface CallContext {
  runId?: string;
  personaId?: string;
}

export class DbCallRecorder implements CallRecorder {
  readonly #orm: Orm;
  readonly #scope: TenantScope;
  readonly #context: CallContext;
  readonly #onRecorded: ((call: CallRecord) => void) | undefined;

  /** `context` stamps every row (a call may override it); `onRecorded` sees every record, stored or not. */
  constructor(orm: Orm, scope: TenantScope, context: CallContext = {}, onRecorded?: (call: CallRecord) => void) {
    this.#orm = orm;
    this.#scope = scope;
    this.#context = context;
    this.#onRecorded = onRecorded;
  }

  async record(call: CallRecord): Promise<void> {
    this.#onRecorded?.(call);
    await withTenant(this.#orm, this.#scope, async (em) => {
      em.create(AiCall, {
        tenantId: this.#scope.tenantId,
        runId: call.runId ?? this.#context.runId ?? null,
        personaId: call.personaId ?? this.#context.personaId ?? null,
        userId: this.#scope.userId,
        provider: call.provider,
        model: call.model,
        kind: call.kind,
        tokensIn: call.tokensIn,
        tokensOut: call.tokensOut,
        latencyMs: Math.round(call.latencyMs),
        costUsd: call.costUsd,
        outcome: call.outcome,
        attempt: call.attempt,
        fallbackFrom: call.fallbackFrom,
        // Scrubbed again: a recorder may be handed text that did not come through a ProviderError.
        errorMessage: call.errorMessage ? scrubSecrets(call.errorMessage).slice(0, MAX_ERROR_MESSAGE) : null,
      });
      await em.flush();
    });
  }
}
