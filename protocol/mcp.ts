import { z } from 'zod';
import { AnalysisRunInput, FindingDismiss, FindingListQuery, FindingStatus } from './analysis.ts';
import { DiscussionStart } from './discussions.ts';
import { Severity, TriageResolution } from './findings.ts';
import { MemoryCreate, MemorySearchQuery } from './memory.ts';
import { NoteCreate } from './notes.ts';
import { SpecializationId } from './personas.ts';
import { ReportKind } from './reports.ts';
import { WorkflowRunStart } from './workflows.ts';

/**
 * The inputs of the tools the MCP server (`/mcp`, docs/mcp.md) offers coding agents. Each is built
 * from the HTTP contract the matching route validates with, so a tool accepts exactly what the
 * route accepts; the SDK turns them into the JSON Schemas agents see (`tools/list`). Only what
 * differs for an agent is new here: numbers are numbers (no query-string coercion), pages are
 * smaller, and a long tool says how long to wait.
 */

/** Where the server answers MCP (Streamable HTTP). */
export const MCP_PATH = '/mcp';

/** Resource URIs: `nyx://reports/<uuid>` and `nyx://rules/<rule id with its slashes>`. */
export const MCP_REPORT_URI = 'nyx://reports/{reportId}';
export const MCP_RULE_URI = 'nyx://rules/{+ruleId}';

const projectId = z.uuid().describe('The project id (from list_projects).');

/** How long a tool that starts a run waits for it; 0 returns the run id at once. */
export const WaitSeconds = z
  .number()
  .int()
  .min(0)
  .max(600)
  .default(120)
  .describe('Seconds to wait for the run to finish (0: return the run id at once). Progress notifications are sent while waiting.');

export const ListProjectsInput = z.strictObject({});

export const SearchFindingsInput = z.strictObject({
  projectId,
  path: FindingListQuery.shape.path.describe('Only findings in this repository-relative file (forward slashes).'),
  severity: Severity.optional().describe('Only this severity.'),
  ruleId: FindingListQuery.shape.ruleId.describe('Only this rule, e.g. "nyx/dangerous/sql-injection".'),
  cwe: z
    .string()
    .regex(/^CWE-\d+$/, 'a CWE id such as "CWE-89"')
    .optional()
    .describe('Only findings of rules that detect this weakness, e.g. "CWE-89".'),
  status: FindingListQuery.shape.status.describe('open (default), fixed, dismissed, or all.'),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type SearchFindingsInput = z.output<typeof SearchFindingsInput>;

export const FindingRef = z.strictObject({ findingId: z.uuid().describe('The finding id (from search_findings).') });

export const RuleRef = z.strictObject({ ruleId: z.string().min(1).max(200).describe('A rule id such as "nyx/secrets/github-token".') });

/** `fixed` is set by analyses only; people dismiss (with a reason) and reopen. */
export const TriageStatus = FindingStatus.exclude(['fixed']);

export const SetFindingStatusInput = z.strictObject({
  findingId: z.uuid(),
  status: TriageStatus.describe('dismissed: hide it for the whole team (say why in reason); open: reopen a dismissed finding.'),
  reason: FindingDismiss.shape.reason.optional().describe('Required when dismissing: why (the team sees it).'),
  resolution: TriageResolution.optional().describe('When dismissing: false-positive (the analyzer is wrong), wont-fix, or accepted (a known, accepted risk; the default).'),
});

export const StartAnalysisInput = z.strictObject({
  projectId,
  rules: AnalysisRunInput.shape.rules.describe('Rule ids or prefixes such as "nyx/secrets/" (default: every built-in rule).'),
  includeGenerated: AnalysisRunInput.shape.includeGenerated.describe('Also analyse minified and vendored files (default: no).'),
  waitSeconds: WaitSeconds,
});

export const SearchMemoryInput = z.strictObject({
  projectId,
  query: MemorySearchQuery.shape.q.describe('What to look for, in plain words.'),
  limit: z.number().int().min(1).max(50).default(10),
});

export const AddNoteInput = NoteCreate.extend({ projectId });

export const AddMemoryInput = MemoryCreate.extend({ projectId });

export const ListPersonasInput = z.strictObject({
  q: z.string().max(200).optional().describe('Case-insensitive match on name, role, description and traits.'),
  category: SpecializationId.optional(),
  builtIn: z.boolean().optional().describe('true: only the built-in personas; false: only the team\'s own.'),
});

export const StartDiscussionInput = DiscussionStart.extend({ waitSeconds: WaitSeconds });

export const RunRef = z.strictObject({ runId: z.uuid().describe('The run id a start_* tool returned.') });

export const ListWorkflowsInput = z.strictObject({});

export const StartWorkflowInput = WorkflowRunStart.extend({
  workflowId: z.uuid().describe('The workflow id (from list_workflows).'),
  waitSeconds: WaitSeconds,
});

export const ListReportsInput = z.strictObject({
  projectId: z.uuid().optional(),
  kind: ReportKind.optional(),
  limit: z.number().int().min(1).max(200).default(20),
});

export const ReportRef = z.strictObject({ reportId: z.uuid().describe('The report id (from list_reports or a nyx://reports/ resource).') });
