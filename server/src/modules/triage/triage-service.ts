import { randomUUID } from 'node:crypto';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { EventBus } from '#server/events/bus.ts';
import { ConflictError, ValidationError } from '#server/errors.ts';
import type { FindingsChangedData, StoredFinding } from '#protocol/analysis.ts';
import type { TriageAction, TriageChange, TriageEntry, TriageHistory, TriageState } from '#protocol/triage.ts';
import { refreshCodePatterns } from '#server/modules/analysis/code-patterns.ts';
import { publishFindingsChanged } from '#server/modules/analysis/finding-events.ts';
import { FindingRow, type IFinding } from '#server/modules/analysis/finding.entity.ts';
import { toFindingDto } from '#server/modules/analysis/findings-service.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';

/** Which `findings.changed` cause a change announces (`dismiss`/`reopen` keep the names older editors know). */
type Cause = FindingsChangedData['cause'];

/**
 * Triage for the whole team. A resolution dismisses the finding (it stays dismissed across
 * analyses: the same fingerprint is never reopened by a run); `reopened` brings it back. Each change
 * is appended to the finding's history with the state it replaced, so undo restores exactly that.
 */
export async function triageFinding(orm: Orm, bus: EventBus, auth: Authenticated, id: string, change: TriageChange, cause: Cause = 'triage'): Promise<StoredFinding> {
  if (change.status !== 'reopened' && !change.reason) throw new ValidationError(`reason: say why the finding is ${change.status} (the team sees it)`, 'reason');
  return mutate(orm, bus, auth, id, cause, (row) => {
    if (row.status === 'fixed') throw new ConflictError(`finding ${id} is already fixed (no longer reported); there is nothing to triage`, 'id');
    if (change.status === 'reopened' && row.status !== 'dismissed') throw new ConflictError(`finding ${id} is ${row.status}, not dismissed; only a dismissed finding can be reopened`, 'status');
    const entry: TriageEntry = {
      id: randomUUID(),
      action: change.status,
      reason: change.reason ?? null,
      by: auth.userId,
      at: new Date().toISOString(),
      previous: stateOf(row),
      undoneBy: null,
      undoneAt: null,
    };
    apply(row, change.status === 'reopened' ? openState() : { status: 'dismissed', resolution: change.status, reason: change.reason!, by: auth.userId, at: entry.at });
    row.triageHistory = [...(row.triageHistory ?? []), entry];
    return { action: change.status, data: { reason: entry.reason } };
  });
}

/** Puts the finding back as it was before its newest triage change that is not undone yet. */
export async function undoTriage(orm: Orm, bus: EventBus, auth: Authenticated, id: string): Promise<StoredFinding> {
  return mutate(orm, bus, auth, id, 'undo', (row) => {
    if (row.status === 'fixed') throw new ConflictError(`finding ${id} is fixed (no longer reported); its triage cannot be undone`, 'id');
    const history = [...(row.triageHistory ?? [])];
    const index = history.findLastIndex((entry) => !entry.undoneAt);
    if (index < 0) throw new ConflictError(`finding ${id} has no triage change to undo`, 'id');
    const entry = history[index];
    // The previous state of an older change may say `fixed`; the finding is reported now, so it is open.
    apply(row, entry.previous.status === 'fixed' ? openState() : entry.previous);
    history[index] = { ...entry, undoneBy: auth.userId, undoneAt: new Date().toISOString() };
    row.triageHistory = history;
    return { action: 'undo', data: { undid: entry.id, action: entry.action } };
  });
}

export async function triageHistory(orm: Orm, auth: Authenticated, id: string): Promise<TriageHistory> {
  const row = await withTenant(orm, auth, (em) => em.findOne(FindingRow, { id }));
  const found = await requireFound(orm, auth, FindingRow, 'finding', id, row);
  return { findingId: found.id, items: found.triageHistory ?? [] };
}

async function mutate(
  orm: Orm,
  bus: EventBus,
  auth: Authenticated,
  id: string,
  cause: Cause,
  change: (row: IFinding) => { action: TriageAction | 'undo'; data: Record<string, unknown> },
): Promise<StoredFinding> {
  const updated = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(FindingRow, { id });
    if (!row) return null;
    const { action, data } = change(row);
    recordAudit(em, auth, `finding.triage.${action}`, 'finding', row.id, data);
    await em.flush();
    await refreshCodePatterns(em, auth.tenantId, row.projectId);
    return toFindingDto(row);
  });
  if (!updated) return toFindingDto(await requireFound(orm, auth, FindingRow, 'finding', id, null));
  publishFindingsChanged(bus, auth.tenantId, { projectId: updated.projectId, cause, findingIds: [id], runId: null });
  return updated;
}

function stateOf(row: IFinding): TriageState {
  return { status: row.status, resolution: row.resolution ?? null, reason: row.dismissedReason ?? null, by: row.dismissedBy ?? null, at: row.dismissedAt?.toISOString() ?? null };
}

function openState(): TriageState {
  return { status: 'open', resolution: null, reason: null, by: null, at: null };
}

function apply(row: IFinding, state: TriageState): void {
  row.status = state.status;
  row.resolution = state.resolution;
  row.dismissedReason = state.reason;
  row.dismissedBy = state.by;
  row.dismissedAt = state.at ? new Date(state.at) : null;
}
