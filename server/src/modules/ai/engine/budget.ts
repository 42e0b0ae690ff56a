// Budget enforcement for one provider call: a check before it (on estimated input cost), a cap on
// max_tokens for non-streaming calls, and a meter that stops a stream once it spends too much.
import type { CatalogEntry } from '#protocol/ai.ts';
import { costUsd } from './catalog.ts';
import { BudgetExceededError } from './errors.ts';
import type { BudgetAllowance, BudgetGuard, BudgetRequest, ChatMessage } from './types.ts';

const CHARS_PER_TOKEN = 4;

/** ~4 characters per token: close enough for English and code to decide when to stop. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimatePromptTokens(system: string | undefined, messages: readonly ChatMessage[]): number {
  // A few tokens of framing per message, as the providers count them.
  return estimateTokens(system ?? '') + messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0);
}

/** Throws BudgetExceededError when the prompt alone would not fit in the allowance. */
export function checkBeforeCall(entry: CatalogEntry, inputTokens: number, allowance: BudgetAllowance): void {
  const inputCost = costUsd(entry, { inputTokens, outputTokens: 0 });
  if (allowance.maxCostUsd !== undefined && inputCost > allowance.maxCostUsd) {
    throw new BudgetExceededError({ limit: 'cost', spent: inputCost, allowed: allowance.maxCostUsd, when: 'before', scope: allowance.costScope });
  }
  if (allowance.maxTokens !== undefined && inputTokens > allowance.maxTokens) {
    throw new BudgetExceededError({ limit: 'tokens', spent: inputTokens, allowed: allowance.maxTokens, when: 'before', scope: allowance.tokenScope });
  }
}

/**
 * The largest max_tokens the allowance can pay for after the prompt (BudgetExceededError when that
 * is none). A non-streaming call cannot be stopped half way, so its output is capped up front.
 */
export function affordableOutputTokens(entry: CatalogEntry, inputTokens: number, allowance: BudgetAllowance): number {
  let limit = Number.POSITIVE_INFINITY;
  if (allowance.maxCostUsd !== undefined && entry.outputPricePerMTok > 0) {
    const left = allowance.maxCostUsd - costUsd(entry, { inputTokens, outputTokens: 0 });
    limit = Math.floor((left * 1_000_000) / entry.outputPricePerMTok);
  }
  if (allowance.maxTokens !== undefined) limit = Math.min(limit, allowance.maxTokens - inputTokens);
  if (limit < 1) {
    // The prompt fits but not a single token of answer: refuse rather than send max_tokens 0.
    const { maxCostUsd, maxTokens, costScope, tokenScope } = allowance;
    throw maxCostUsd !== undefined && (maxTokens === undefined || maxTokens - inputTokens >= 1)
      ? new BudgetExceededError({ limit: 'cost', spent: costUsd(entry, { inputTokens, outputTokens: 1 }), allowed: maxCostUsd, when: 'before', scope: costScope })
      : new BudgetExceededError({ limit: 'tokens', spent: inputTokens + 1, allowed: maxTokens ?? 0, when: 'before', scope: tokenScope });
  }
  return limit;
}

/** Tracks a stream's output as it arrives and says when it has gone over the allowance. */
export class StreamBudgetMeter {
  readonly #entry: CatalogEntry;
  readonly #inputTokens: number;
  readonly #allowance: BudgetAllowance;
  #outputChars = 0;

  constructor(entry: CatalogEntry, inputTokens: number, allowance: BudgetAllowance) {
    this.#entry = entry;
    this.#inputTokens = inputTokens;
    this.#allowance = allowance;
  }

  get outputTokens(): number {
    return Math.ceil(this.#outputChars / CHARS_PER_TOKEN);
  }

  get costUsd(): number {
    return costUsd(this.#entry, { inputTokens: this.#inputTokens, outputTokens: this.outputTokens });
  }

  /** Counts `text` and returns the error to stop with if the stream is now over budget. */
  add(text: string): BudgetExceededError | undefined {
    this.#outputChars += text.length;
    const { maxCostUsd, maxTokens, costScope, tokenScope } = this.#allowance;
    if (maxCostUsd !== undefined && this.costUsd > maxCostUsd) {
      return new BudgetExceededError({ limit: 'cost', spent: this.costUsd, allowed: maxCostUsd, when: 'during', scope: costScope });
    }
    const tokens = this.#inputTokens + this.outputTokens;
    if (maxTokens !== undefined && tokens > maxTokens) {
      return new BudgetExceededError({ limit: 'tokens', spent: tokens, allowed: maxTokens, when: 'during', scope: tokenScope });
    }
    return undefined;
  }
}

/**
 * Fixed limits for every call: a per-call or per-run cap that needs no storage. The tenant-wide
 * guard that sums `ai_calls` implements the same interface.
 */
export class FixedBudgetGuard implements BudgetGuard {
  readonly #allowance: BudgetAllowance;
  constructor(allowance: BudgetAllowance) {
    this.#allowance = allowance;
  }
  allowance(_request: BudgetRequest): Promise<BudgetAllowance> {
    return Promise.resolve(this.#allowance);
  }
}
