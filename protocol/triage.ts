import { z } from 'zod';
import { route } from './routes.ts';
import { FindingIdParams, StoredFinding } from './analysis.ts';
import { TriageResolution } from './findings.ts';

/**
 * Triage of findings, for the whole team (docs/analysis.md, "Triage"; decision 0020).
 *
 * A finding is set aside with a resolution and a reason (`false-positive`, `wont-fix`, `accepted`:
 * its status becomes `dismissed`), or brought back (`reopened`: status `open`). Every change is kept
 * in the finding's history with who, when and why; the newest change that was not undone can be
 * undone, which puts the finding back exactly as it was before that change. Each change reaches
 * every editor of the tenant live (`findings.changed` on GET /api/v1/events).
 */

export { TriageResolution };

/** What a triage change sets: one of the resolutions, or `reopened`. */
export const TriageAction = z.enum([...TriageResolution.options, 'reopened']);
export type TriageAction = z.infer<typeof TriageAction>;

export const TriageChange = z.strictObject({
  status: TriageAction,
  /** Why: the team reads it. Required for every status but `reopened`. */
  reason: z.string().trim().min(1, 'say why (the team sees it)').max(2000).optional(),
});
export type TriageChange = z.infer<typeof TriageChange>;

/** The state a change replaced (what an undo restores). */
export const TriageState = z.object({
  status: z.enum(['open', 'fixed', 'dismissed']),
  resolution: TriageResolution.nullable(),
  reason: z.string().nullable(),
  by: z.uuid().nullable(),
  at: z.string().nullable(),
});
export type TriageState = z.infer<typeof TriageState>;

export const TriageEntry = z.object({
  id: z.uuid(),
  action: TriageAction,
  reason: z.string().nullable(),
  /** Who changed it (null once the user is gone). */
  by: z.uuid().nullable(),
  at: z.string(),
  previous: TriageState,
  undoneBy: z.uuid().nullable(),
  undoneAt: z.string().nullable(),
});
export type TriageEntry = z.infer<typeof TriageEntry>;

export const TriageHistory = z.object({
  findingId: z.uuid(),
  /** Oldest first. */
  items: z.array(TriageEntry),
});
export type TriageHistory = z.infer<typeof TriageHistory>;

export const triageRoutes = {
  triageFinding: route({ method: 'post', path: '/api/v1/findings/:id/triage', params: FindingIdParams, errors: [409], summary: 'Triage a finding for the whole team: false positive, won\'t fix or accepted (dismissed, with a reason), or reopened', auth: true, body: TriageChange, response: StoredFinding }),
  undoTriage: route({ method: 'post', path: '/api/v1/findings/:id/triage/undo', params: FindingIdParams, errors: [409], summary: 'Undo the newest triage change of a finding that was not undone yet', auth: true, response: StoredFinding }),
  triageHistory: route({ method: 'get', path: '/api/v1/findings/:id/triage', params: FindingIdParams, summary: "A finding's triage history, oldest first, undone changes marked", auth: true, response: TriageHistory }),
};
