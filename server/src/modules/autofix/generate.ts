// Step 2, "generating": one streamed model call whose JSON answer carries the rationale first.
// While it streams, the rationale's new characters become `autofix.rationale` events (batched,
// like discussion deltas: an event per token would cost a commit per token). The finished text is
// validated with zod; an invalid answer gets one repair round through chatStructured.
import type { RouteRequest } from '#server/modules/ai/engine/router.ts';
import { chatStructured, validate } from '#server/modules/ai/engine/structured.ts';
import { AUTOFIX_EVENT, type AutofixTokensData, type ModelUsage } from '#protocol/autofix.ts';
import type { RunContext } from '#server/modules/runs/engine/registry.ts';
import type { ModelGateway } from '#server/modules/ai/gateway.ts';
import { answerFormatInstruction, ModelPatchAnswer, partialStringField } from './model-answer.ts';

const DELTA_BATCH_MS = 50;

export interface GeneratedPatch {
  answer: ModelPatchAnswer;
  usage: ModelUsage;
}

async function emitTokens(context: RunContext, gateway: ModelGateway, usage: ModelUsage): Promise<void> {
  const spent = gateway.spent();
  const data: AutofixTokensData = { ...usage, runTokens: spent.tokens, runCostUsd: spent.costUsd };
  await context.emit(AUTOFIX_EVENT.tokens, data);
}

/** Streams the answer, emitting the rationale as it grows; returns the raw text and usage. */
async function streamAnswer(gateway: ModelGateway, context: RunContext, request: RouteRequest): Promise<{ text: string; usage: ModelUsage }> {
  let text = '';
  let sent = 0;
  let lastFlush = Date.now();
  let usage: ModelUsage | null = null;
  const flush = async () => {
    lastFlush = Date.now();
    const rationale = partialStringField(text, 'rationale');
    if (!rationale || rationale.value.length <= sent) return;
    const delta = rationale.value.slice(sent);
    sent = rationale.value.length;
    await context.emit(AUTOFIX_EVENT.rationale, { text: delta });
  };
  for await (const event of gateway.router.stream(request)) {
    if (event.type === 'done') {
      usage = { provider: event.provider, model: event.model, inputTokens: event.usage.inputTokens, outputTokens: event.usage.outputTokens, costUsd: event.costUsd };
      continue;
    }
    text += event.text;
    if (Date.now() - lastFlush >= DELTA_BATCH_MS) await flush();
  }
  await flush();
  if (!usage) throw new Error('the model stream ended without a final event');
  return { text, usage };
}

export async function generatePatch(gateway: ModelGateway, context: RunContext, request: RouteRequest): Promise<GeneratedPatch> {
  const streamed = await streamAnswer(gateway, context, { ...request, system: `${request.system}\n\n${answerFormatInstruction()}`, json: true });
  await emitTokens(context, gateway, streamed.usage);
  const checked = validate(streamed.text, ModelPatchAnswer);
  if (checked.ok) return { answer: checked.value, usage: streamed.usage };

  // One repair, pinned to the model that answered (chatStructured itself allows one more).
  context.log.info({ runId: context.run.id }, 'autofix answer did not validate; asking the model to repair it');
  const repaired = await chatStructured(
    gateway.router,
    {
      ...request,
      explicit: streamed.usage.model,
      messages: [...request.messages, { role: 'assistant', content: streamed.text }, { role: 'user', content: `Your reply was not valid: ${checked.error}\nReply again with only the corrected JSON object.` }],
    },
    ModelPatchAnswer,
  );
  const { answer } = repaired;
  const usage: ModelUsage = { provider: answer.provider, model: answer.model, inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens, costUsd: answer.costUsd };
  await emitTokens(context, gateway, usage);
  await context.emit(AUTOFIX_EVENT.rationale, { text: `\n\n(revised) ${repaired.value.rationale}` });
  const total: ModelUsage = {
    ...usage,
    inputTokens: usage.inputTokens + streamed.usage.inputTokens,
    outputTokens: usage.outputTokens + streamed.usage.outputTokens,
    costUsd: usage.costUsd + streamed.usage.costUsd,
  };
  return { answer: repaired.value, usage: total };
}
