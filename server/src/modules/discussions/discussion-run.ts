import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { DISCUSSION_EVENT, DISCUSSION_RUN_KIND, DiscussionInput, DiscussionSynthesis } from '#protocol/discussions.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { FindingRow } from '#server/modules/analysis/finding.entity.ts';
import { clipForMemory, rememberFromRunOrWarn } from '#server/modules/memory/service.ts';
import { PersonaRow, type IPersona } from '#server/modules/personas/persona.entity.ts';
import { personasInOrder } from '#server/modules/personas/store.ts';
import { DiscussionRow, DiscussionTurnRow } from './discussion.entity.ts';
import { renderDiscussionContext, synthesisMessages, SYNTHESIS_SYSTEM, turnMessages, turnSystemPrompt, type ContextFinding, type TranscriptTurn } from './prompts.ts';
import { streamIntoEvents } from './text-stream.ts';
import { policiesContext, takePoliciesTag } from '#server/modules/policies/context.ts';

type DiscussionServices = Pick<AppServices, 'orm' | 'secretBox' | 'log'>;

/** The discussion row for a run, created if the run was started through POST /api/v1/runs. */
export async function ensureDiscussionRow(em: EntityManager, run: { id: string; tenantId: string; projectId: string; createdBy: string | null }, input: DiscussionInput): Promise<void> {
  await em.execute(
    `insert into discussions (id, tenant_id, run_id, project_id, topic, mode, rounds, persona_ids, created_by, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), now()) on conflict (run_id) do nothing`,
    [run.tenantId, run.id, run.projectId, input.topic, input.mode, input.rounds, JSON.stringify(input.personaIds), run.createdBy],
  );
}

async function loadFindings(em: EntityManager, projectId: string, ids: readonly string[]): Promise<ContextFinding[]> {
  if (!ids.length) return [];
  const rows = await em.find(FindingRow, { id: { $in: [...ids] }, projectId });
  return rows.map((row) => ({ path: row.path, line: row.startLine, ruleId: row.ruleId, severity: row.severity, message: row.message }));
}

interface Turn {
  round: number;
  turn: number;
  persona: IPersona;
}

/** The team's decision as a memory entry: the question, then the approach the synthesis chose. */
function decisionOf(topic: string, synthesis: DiscussionSynthesis): string {
  return `Discussion "${clipForMemory(topic, 200)}" decided: ${clipForMemory(synthesis.bestApproach, 800)}`;
}

/** Who speaks when: round after round; in `parallel` mode a round's turns run at once. */
function schedule(personas: readonly IPersona[], rounds: number): Turn[][] {
  const byRound: Turn[][] = [];
  for (let round = 1; round <= rounds; round++) {
    byRound.push(personas.map((persona, i) => ({ round, turn: (round - 1) * personas.length + i, persona })));
  }
  return byRound;
}

export function discussionHandler(services: DiscussionServices) {
  return async (context: RunContext): Promise<{ turns: number; synthesis: DiscussionSynthesis }> => {
    const { run } = context;
    const input = DiscussionInput.parse(run.input);
    const loaded = await context.withTenant(async (em) => {
      await ensureDiscussionRow(em, run, input);
      // Executed again after a crash: start the transcript over rather than duplicate it.
      await em.nativeDelete(DiscussionTurnRow, { runId: run.id });
      return { personas: await personasInOrder(em, input.personaIds), findings: await loadFindings(em, run.projectId, input.context.findingIds) };
    });
    if (loaded.personas.length !== input.personaIds.length) throw new Error('a persona of this discussion was deleted before it started');
    // `{{policies}}` in the topic: the team's clauses relevant to it join the context, retrieved by meaning.
    const topic = takePoliciesTag(input.topic);
    const policies = topic.asked ? await policiesContext(services, { tenantId: run.tenantId, userId: run.createdBy }, topic.text, { runId: run.id }) : null;
    const policyBlock = topic.asked ? `The team's policies (clauses relevant to the topic; cite them by document and number):\n${policies ?? '(the team has no policies)'}` : '';
    const contextBlock = [renderDiscussionContext(input.context, loaded.findings), policyBlock].filter(Boolean).join('\n\n');
    const prompted = topic.asked ? { ...input, topic: `${topic.text} (the team's policies are in the context)` } : input;
    const gateway = await createModelGateway(services, { tenantId: run.tenantId, userId: run.createdBy }, { runId: run.id });
    const transcript: (TranscriptTurn & { turn: number })[] = [];
    const rounds = schedule(loaded.personas, input.rounds);

    const speak = async ({ round, turn, persona }: Turn, seen: readonly TranscriptTurn[]) => {
      context.signal.throwIfAborted();
      const tag = { round, turn, personaId: persona.id, personaName: persona.name };
      await context.emit(DISCUSSION_EVENT.turnStarted, tag);
      const others = loaded.personas.filter((other) => other.id !== persona.id);
      const answer = await streamIntoEvents(
        gateway,
        {
          explicit: input.model,
          personaDefault: persona.defaultModel ?? undefined,
          personaId: persona.id,
          system: turnSystemPrompt(persona, others, input.mode),
          messages: turnMessages(prompted, contextBlock, seen, round),
          signal: context.signal,
        },
        (text) => context.emit(DISCUSSION_EVENT.turnDelta, { ...tag, text }),
      );
      await context.withTenant(async (em) => {
        em.create(DiscussionTurnRow, { tenantId: run.tenantId, runId: run.id, round, turn, personaId: persona.id, personaName: persona.name, content: answer.text, provider: answer.provider, model: answer.model });
        await em.flush();
      });
      await context.emit(DISCUSSION_EVENT.turnCompleted, { ...tag, text: answer.text, provider: answer.provider, model: answer.model });
      return { round, turn, personaName: persona.name, role: persona.role, text: answer.text };
    };

    for (const [index, turns] of rounds.entries()) {
      if (input.mode === 'parallel') {
        const seen = [...transcript];
        transcript.push(...(await Promise.all(turns.map((turn) => speak(turn, seen)))));
      } else {
        for (const turn of turns) transcript.push(await speak(turn, transcript));
      }
      await context.progress(((index + 1) / rounds.length) * 0.9, `round ${index + 1} of ${rounds.length}`);
    }

    context.signal.throwIfAborted();
    const { value: synthesis, answer } = await chatStructured(
      gateway.router,
      { explicit: input.model, system: SYNTHESIS_SYSTEM, messages: synthesisMessages(prompted, contextBlock, transcript), signal: context.signal },
      DiscussionSynthesis,
    );
    await context.withTenant(async (em) => {
      await em.nativeUpdate(DiscussionRow, { runId: run.id }, { synthesis, updatedAt: new Date() });
    });
    await context.emit(DISCUSSION_EVENT.synthesis, { synthesis, provider: answer.provider, model: answer.model });
    // After the synthesis is saved and shown: the decision is remembered outside any transaction
    // (it embeds first), and a failure to remember does not fail a discussion that reached one.
    context.signal.throwIfAborted(); // a cancelled run remembers nothing
    await rememberFromRunOrWarn(services, { tenantId: run.tenantId, userId: run.createdBy }, {
      projectId: run.projectId,
      runId: run.id,
      source: 'discussion',
      items: [{ kind: 'decision', text: decisionOf(input.topic, synthesis) }],
    });
    return { turns: transcript.length, synthesis };
  };
}

export const discussionRunKind: RunKindDefinition<DiscussionServices> = {
  kind: DISCUSSION_RUN_KIND,
  input: DiscussionInput,
  references: (input) => {
    const { personaIds, context } = input as DiscussionInput;
    return [...inputReferences(PersonaRow, 'personaIds', personaIds), ...inputReferences(FindingRow, 'context.findingIds', context.findingIds)];
  },
  handler: (services) => discussionHandler(services),
};
