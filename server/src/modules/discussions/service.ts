import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { insertBlobs, sha256Of } from '#server/modules/analysis/blob-store.ts';
import { ConflictError, ReferenceNotFoundError } from '#server/errors.ts';
import {
  DISCUSSION_RUN_KIND,
  type Discussion,
  type DiscussionImplement,
  type DiscussionImplemented,
  type DiscussionListQuery,
  type DiscussionStart,
  type DiscussionSynthesis,
} from '#protocol/discussions.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { FindingRow } from '#server/modules/analysis/finding.entity.ts';
import { PersonaRow } from '#server/modules/personas/persona.entity.ts';
import { RunRow, type IRun } from '#server/modules/runs/run.entity.ts';
import { createRun } from '#server/modules/runs/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { BUILT_IN_WORKFLOW_KEYS } from '#server/modules/workflows/builtins.ts';
import { builtInWorkflowId } from '#server/modules/workflows/store.ts';
import { startWorkflowRun } from '#server/modules/workflows/run-service.ts';
import { ensureDiscussionRow } from './discussion-run.ts';
import { DiscussionRow, DiscussionTurnRow, type IDiscussion, type IDiscussionTurn } from './discussion.entity.ts';

type Services = Pick<AppServices, 'orm' | 'runs' | 'secretBox' | 'log'>;

function runServices(services: Services) {
  return { orm: services.orm, bus: services.runs.bus, registry: services.runs.registry };
}

function toDiscussionDto(row: IDiscussion, run: IRun, turns: readonly IDiscussionTurn[]): Discussion {
  return {
    runId: row.runId,
    projectId: row.projectId,
    topic: row.topic,
    mode: row.mode,
    rounds: row.rounds,
    personaIds: row.personaIds,
    status: run.status,
    error: run.error ?? null,
    turns: turns.map((turn) => ({
      round: turn.round,
      turn: turn.turn,
      personaId: turn.personaId,
      personaName: turn.personaName,
      content: turn.content,
      provider: turn.provider ?? null,
      model: turn.model ?? null,
      createdAt: turn.createdAt.toISOString(),
    })),
    synthesis: row.synthesis ?? null,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Personas and findings are checked before the run exists, so a typo is a 404 naming the entry,
 * not a failed run; another tenant's id gets the same answer as a missing one (decision 0011).
 */
export async function startDiscussion(services: Services, auth: Authenticated, body: z.output<typeof DiscussionStart>): Promise<RunCreated> {
  const { projectId, ...input } = body;
  await withTenant(services.orm, auth, async (em) => {
    const personas = await em.find(PersonaRow, { id: { $in: input.personaIds } }, { fields: ['id'] });
    const known = new Set(personas.map((p) => p.id));
    const missing = input.personaIds.findIndex((id) => !known.has(id));
    if (missing >= 0) throw new ReferenceNotFoundError(`personaIds.${missing}`);
    const ids = input.context.findingIds;
    if (ids.length) {
      const findings = await em.find(FindingRow, { id: { $in: ids }, projectId }, { fields: ['id'] });
      const found = new Set(findings.map((f) => f.id));
      const absent = ids.findIndex((id) => !found.has(id));
      if (absent >= 0) throw new ReferenceNotFoundError(`context.findingIds.${absent}`);
    }
  });
  const run = await createRun(runServices(services), auth, { kind: DISCUSSION_RUN_KIND, projectId, input });
  await withTenant(services.orm, auth, (em) => ensureDiscussionRow(em, { id: run.id, tenantId: auth.tenantId, projectId, createdBy: auth.userId }, run.input as never));
  return run;
}

export async function getDiscussion(services: Services, auth: Authenticated, runId: string): Promise<Discussion> {
  const found = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(DiscussionRow, { runId });
    const run = row ? await em.findOne(RunRow, { id: runId }) : null;
    if (!row || !run) return null;
    const turns = await em.find(DiscussionTurnRow, { runId }, { orderBy: { turn: 'asc' } });
    return toDiscussionDto(row, run, turns);
  });
  if (found) return found;
  await requireFound(services.orm, auth, RunRow, 'discussion', runId, null);
  throw new Error('unreachable');
}

export async function listDiscussions(services: Services, auth: Authenticated, query: z.output<typeof DiscussionListQuery>) {
  return withTenant(services.orm, auth, async (em) => {
    const rows = await em.find(DiscussionRow, query.projectId ? { projectId: query.projectId } : {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit });
    const runs = await em.find(RunRow, { id: { $in: rows.map((row) => row.runId) } });
    const runById = new Map(runs.map((run) => [run.id, run]));
    return rows.flatMap((row) => {
      const run = runById.get(row.runId);
      if (!run) return [];
      const { turns: _turns, ...summary } = toDiscussionDto(row, run, []);
      return [summary];
    });
  });
}

/** The synthesis as instructions for whoever implements it (a refactor run, a workflow's input). */
export function synthesisAsInstructions(topic: string, synthesis: DiscussionSynthesis): string {
  const list = (items: readonly string[]) => items.map((item) => `- ${item}`).join('\n');
  return [
    `Topic: ${topic}`,
    `Best approach:\n${synthesis.bestApproach}`,
    synthesis.consensusPoints.length ? `Agreed:\n${list(synthesis.consensusPoints)}` : '',
    synthesis.dissentPoints.length ? `Open dissent:\n${list(synthesis.dissentPoints.map((d) => `${d.point} (${d.personas.join(', ')})`))}` : '',
    synthesis.nextSteps.length ? `Next steps:\n${list(synthesis.nextSteps)}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export async function implementDiscussion(services: Services, auth: Authenticated, runId: string, body: z.output<typeof DiscussionImplement>): Promise<DiscussionImplemented> {
  const discussion = await getDiscussion(services, auth, runId);
  if (!discussion.synthesis) {
    throw new ConflictError(`The discussion has no synthesis yet (its run is ${discussion.status}); implement it once it has succeeded`, 'runId');
  }
  const run = await withTenant(services.orm, auth, (em) => em.findOneOrFail(RunRow, { id: runId }));
  const files = ((run.input as { context?: { files?: { path: string; content: string }[] } }).context?.files ?? []);
  const instructions = synthesisAsInstructions(discussion.topic, discussion.synthesis);
  if (body.target === 'workflow') {
    const workflowId = body.workflowId ?? (await builtInWorkflowId(services.orm, auth, BUILT_IN_WORKFLOW_KEYS.discussDecideImplement));
    const created = await startWorkflowRun(services, auth, workflowId, { projectId: discussion.projectId, input: instructions, files });
    return { target: 'workflow', kind: 'workflow', run: created };
  }
  const kind = body.target;
  if (!services.runs.registry.has(kind)) {
    throw new ConflictError(
      `This server cannot run "${kind}" yet (no such run kind is registered; known: ${services.runs.registry.kinds().join(', ')}). ` +
        'Implement the discussion with target "workflow" instead.',
      'target',
    );
  }
  const created = await createRun(runServices(services), auth, {
    kind,
    projectId: discussion.projectId,
    input: await implementationInput(services, auth, kind, discussion.projectId, instructions, files, (run.input as { context?: { findingIds?: string[] } }).context?.findingIds ?? []),
  });
  return { target: kind, kind, run: created };
}

/**
 * The input of the run that implements a discussion, in the shape that kind validates
 * (protocol/autofix.ts). A refactor works on the discussion's files, stored as blobs so the patch
 * is made against exactly the text the personas discussed; an auto-fix works on its findings.
 */
async function implementationInput(
  services: Services,
  auth: Authenticated,
  kind: string,
  projectId: string,
  instruction: string,
  files: { path: string; content: string }[],
  findingIds: string[],
): Promise<Record<string, unknown>> {
  if (kind === 'autofix') {
    if (findingIds.length === 0) throw new ConflictError('The discussion had no findings in its context: implement it as a refactor or a workflow instead', 'target');
    const refs = await storeContextFiles(services, auth, files);
    return refs.length ? { files: refs, findingIds } : { findingIds, snapshotId: await latestSnapshotId(services, auth, projectId) };
  }
  if (files.length === 0) throw new ConflictError('The discussion had no files in its context: a refactor needs files; implement it as a workflow instead', 'target');
  return { files: await storeContextFiles(services, auth, files), instruction: instruction.slice(0, 4000) };
}

async function storeContextFiles(services: Services, auth: Authenticated, files: { path: string; content: string }[]): Promise<{ path: string; blobHash: string }[]> {
  const blobs = files.map((file) => {
    const content = Buffer.from(file.content, 'utf8');
    return { path: file.path, sha256: sha256Of(content), content };
  });
  await withTenant(services.orm, auth, (em) => insertBlobs(em, auth.tenantId, auth.userId, blobs));
  return blobs.map((blob) => ({ path: blob.path, blobHash: blob.sha256 }));
}

async function latestSnapshotId(services: Services, auth: Authenticated, projectId: string): Promise<string> {
  const [row] = await withTenant(services.orm, auth, (em) =>
    em.execute<{ id: string }[]>('select id from snapshots where project_id = ? order by created_at desc limit 1', [projectId]),
  );
  if (!row) throw new ConflictError('No snapshot of the project exists yet: analyze it first', 'target');
  return row.id;
}
