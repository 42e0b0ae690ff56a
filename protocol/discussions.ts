import { z } from 'zod';
import { route } from './routes.ts';
import { RunCreated, RunStatus } from './runs.ts';

export const DISCUSSION_RUN_KIND = 'discussion';

/**
 * - `debate`: round-robin; each persona answers in turn and sees every earlier turn.
 * - `parallel`: in each round all personas answer at once, seeing only earlier rounds.
 * - `consensus`: round-robin, each turn told to build on the emerging proposal; the last round converges.
 */
export const DiscussionMode = z.enum(['debate', 'parallel', 'consensus']);
export type DiscussionMode = z.infer<typeof DiscussionMode>;

export const ContextFile = z.strictObject({
  path: z.string().min(1).max(1024),
  content: z.string().max(200_000),
  language: z.string().max(40).optional(),
});
export type ContextFile = z.infer<typeof ContextFile>;

export const ContextSelection = z.strictObject({
  path: z.string().min(1).max(1024),
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  text: z.string().max(100_000),
});

export const DiscussionContext = z
  .strictObject({
    files: z.array(ContextFile).max(20).default([]),
    selection: ContextSelection.nullable().default(null),
    /** Findings of the project (GET /api/v1/projects/:id/findings) the discussion is about. */
    findingIds: z.array(z.uuid()).max(50).default([]),
  })
  .refine((context) => context.files.reduce((sum, file) => sum + file.content.length, 0) <= 400_000, 'files: at most 400,000 characters of content in all');

/** The run input of kind `discussion` (also accepted by POST /api/v1/runs). */
export const DiscussionInput = z.strictObject({
  topic: z.string().trim().min(1).max(4_000),
  context: DiscussionContext.default({ files: [], selection: null, findingIds: [] }),
  personaIds: z
    .array(z.uuid())
    .min(2, 'a discussion needs at least 2 personas')
    .max(6, 'a discussion takes at most 6 personas')
    .refine((ids) => new Set(ids).size === ids.length, 'each persona may take part once'),
  mode: DiscussionMode.default('debate'),
  rounds: z.number().int().min(1).max(5).default(2),
  /** Overrides every persona's default model for this discussion. */
  model: z.string().min(1).max(200).optional(),
});
export type DiscussionInput = z.infer<typeof DiscussionInput>;

export const DiscussionStart = DiscussionInput.extend({ projectId: z.uuid() });
export type DiscussionStart = z.input<typeof DiscussionStart>;

/** What the structured synthesis answers (validated, repaired once, by the server). */
export const DiscussionSynthesis = z.object({
  bestApproach: z.string().min(1).max(20_000),
  consensusPoints: z.array(z.string().max(2_000)).max(20),
  dissentPoints: z.array(z.object({ point: z.string().max(2_000), personas: z.array(z.string().max(100)).max(6) })).max(20),
  nextSteps: z.array(z.string().max(2_000)).max(20).default([]),
});
export type DiscussionSynthesis = z.infer<typeof DiscussionSynthesis>;

/** Run event types of a discussion, in the order they come. Every turn event carries round, turn and persona. */
export const DISCUSSION_EVENT = {
  /** data: DiscussionTurnStarted */
  turnStarted: 'discussion.turn.started',
  /** data: DiscussionTurnDelta: the next piece of the turn's text (deltas batched ~50 ms). */
  turnDelta: 'discussion.turn.delta',
  /** data: DiscussionTurnCompleted, with the whole text. */
  turnCompleted: 'discussion.turn.completed',
  /** data: DiscussionSynthesisEvent */
  synthesis: 'discussion.synthesis',
} as const;

const TurnTag = {
  round: z.number().int().min(1),
  /** 0-based position of the turn in the transcript. */
  turn: z.number().int().min(0),
  personaId: z.uuid(),
  personaName: z.string(),
};
export const DiscussionTurnStarted = z.object({ ...TurnTag });
export const DiscussionTurnDelta = z.object({ ...TurnTag, text: z.string() });
export const DiscussionTurnCompleted = z.object({ ...TurnTag, text: z.string(), provider: z.string(), model: z.string() });
export const DiscussionSynthesisEvent = z.object({ synthesis: DiscussionSynthesis, provider: z.string().nullable(), model: z.string().nullable() });
export type DiscussionTurnDelta = z.infer<typeof DiscussionTurnDelta>;

export const DiscussionTurn = z.object({
  round: z.number().int(),
  turn: z.number().int(),
  personaId: z.uuid(),
  personaName: z.string(),
  content: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  createdAt: z.string(),
});
export type DiscussionTurn = z.infer<typeof DiscussionTurn>;

export const Discussion = z.object({
  runId: z.uuid(),
  projectId: z.uuid(),
  topic: z.string(),
  mode: DiscussionMode,
  rounds: z.number().int(),
  personaIds: z.array(z.uuid()),
  status: RunStatus,
  error: z.string().nullable(),
  turns: z.array(DiscussionTurn),
  synthesis: DiscussionSynthesis.nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type Discussion = z.infer<typeof Discussion>;

export const DiscussionSummary = Discussion.omit({ turns: true });
export const DiscussionList = z.object({ items: z.array(DiscussionSummary) });
export const DiscussionListQuery = z.strictObject({
  projectId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const DiscussionRunParams = z.object({ runId: z.uuid() });

/**
 * What "Implement" turns the synthesis into: a `refactor` or `autofix` run (when this server has
 * those run kinds; 409 otherwise), or a run of the built-in workflow "discuss, decide, implement".
 */
export const ImplementTarget = z.enum(['refactor', 'autofix', 'workflow']);
export const DiscussionImplement = z.strictObject({
  target: ImplementTarget.default('workflow'),
  /** For `workflow`: another workflow than the built-in one. */
  workflowId: z.uuid().optional(),
});
export type DiscussionImplement = z.input<typeof DiscussionImplement>;
export const DiscussionImplemented = z.object({ target: ImplementTarget, kind: z.string(), run: RunCreated });
export type DiscussionImplemented = z.infer<typeof DiscussionImplemented>;

export const discussionRoutes = {
  start: route({ method: 'post', path: '/api/v1/discussions', alsoStatus: [200], errors: [409], summary: 'Start a discussion run between 2 to 6 personas', auth: true, body: DiscussionStart, response: RunCreated, status: 201 }),
  list: route({ method: 'get', path: '/api/v1/discussions', summary: 'List discussions, newest first', auth: true, query: DiscussionListQuery, response: DiscussionList }),
  get: route({ method: 'get', path: '/api/v1/discussions/:runId', params: DiscussionRunParams, summary: 'A discussion with its transcript and synthesis', auth: true, response: Discussion }),
  implement: route({ method: 'post', path: '/api/v1/discussions/:runId/implement', params: DiscussionRunParams, alsoStatus: [200], errors: [409], summary: 'Turn the synthesis into a refactor/autofix run or a workflow run', auth: true, body: DiscussionImplement, response: DiscussionImplemented, status: 201 }),
};
