// The entry point for every feature that talks to a model (analysis AI review, autofix,
// discussions, workflows): a router bound to one tenant, with its keys, its catalog, its budgets
// and its call log. A model call never runs inside a DB transaction: each credential read,
// budget check and ai_calls row is its own short transaction around the call.
import type { Catalog } from '#server/modules/ai/engine/catalog.ts';
import { EmbeddingService } from '#server/modules/ai/engine/embeddings.ts';
import { AiRouter } from '#server/modules/ai/engine/router.ts';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import type { AdapterFactory } from '#server/modules/ai/engine/adapters.ts';
import type { CallRecord } from '#server/modules/ai/engine/types.ts';
import type { Orm } from '#server/db/orm.ts';
import type { TenantScope } from '#server/db/tenant-context.ts';
import type { Logger } from '#server/logger.ts';
import { DbBudgetGuard, type RunBudget } from './budget-guard.ts';
import { DbCallRecorder } from './call-recorder.ts';
import { DbCredentialSource } from './credential-source.ts';
import { tenantCatalog } from './models-service.ts';
import type { Spend } from './spending.ts';

/** What the gateway needs from the running server (AppServices has all of it). */
export interface GatewayServices {
  orm: Orm;
  secretBox: SecretBox;
  log: Logger;
}

export interface GatewayOptions {
  /** Stamped on every ai_calls row; the run's spending is summed by it for the run budget. */
  runId?: string;
  personaId?: string;
  /** A per-run cap, on top of the tenant's budgets (and its default per-run cap). */
  runBudget?: RunBudget;
  /** Default true; false skips budgets (a connection test must work with the budget spent). */
  enforceBudget?: boolean;
  timeoutMs?: number;
  maxRetryAfterWaitMs?: number;
  /** Tests only: another adapter factory. Base URLs normally come from the stored credentials. */
  createAdapter?: AdapterFactory;
}

export interface ModelGateway {
  router: AiRouter;
  embeddings: EmbeddingService;
  catalog: Catalog;
  credentials: DbCredentialSource;
  /** What this gateway's own calls spent so far (all attempts, failed ones included). */
  spent(): Spend;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createModelGateway(services: GatewayServices, auth: TenantScope, options: GatewayOptions = {}): Promise<ModelGateway> {
  if (options.runId !== undefined && !UUID.test(options.runId)) throw new Error(`createModelGateway: runId must be a uuid, got ${options.runId}`);
  const { orm, secretBox, log } = services;
  const spent: Spend = { costUsd: 0, tokens: 0 };
  const tally = (call: CallRecord) => {
    spent.costUsd += call.costUsd;
    spent.tokens += call.tokensIn + call.tokensOut;
  };
  const context = { runId: options.runId, personaId: options.personaId };
  const credentials = new DbCredentialSource(orm, secretBox, auth);
  const recorder = new DbCallRecorder(orm, auth, context, tally);
  const catalog = await tenantCatalog(orm, auth);
  const onRecorderError = (error: unknown) =>
    log.warn({ err: error, tenantId: auth.tenantId }, 'AI call could not be recorded in ai_calls');
  const router = new AiRouter({
    catalog,
    credentials,
    recorder,
    budget:
      options.enforceBudget === false
        ? undefined
        : new DbBudgetGuard(orm, auth, { runId: options.runId, runBudget: options.runBudget, localSpend: () => ({ ...spent }) }),
    timeoutMs: options.timeoutMs,
    maxRetryAfterWaitMs: options.maxRetryAfterWaitMs,
    createAdapter: options.createAdapter,
    onRecorderError,
  });
  const embeddings = new EmbeddingService({
    credentials,
    recorder,
    timeoutMs: options.timeoutMs,
    maxRetryAfterWaitMs: options.maxRetryAfterWaitMs,
    createAdapter: options.createAdapter,
  });
  return { router, embeddings, catalog, credentials, spent: () => ({ ...spent }) };
}
