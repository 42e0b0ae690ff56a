import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError, ValidationError } from '#server/errors.ts';
import type { StoredFinding } from '#protocol/analysis.ts';
import {
  FindingRef,
  ListProjectsInput,
  RuleRef,
  SearchFindingsInput,
  SetFindingStatusInput,
  StartAnalysisInput,
  type SearchFindingsInput as SearchFindings,
} from '#protocol/mcp.ts';
import { startAnalysis } from '#server/modules/analysis/analysis-service.ts';
import { getFinding, listFindings } from '#server/modules/analysis/findings-service.ts';
import { triageFinding } from '#server/modules/triage/triage-service.ts';
import { allRules, findRule } from '#server/modules/analysis/rule-docs.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { listProjects } from '#server/modules/projects/service.ts';
import { findingMarkdown, ruleMarkdown } from '#server/modules/mcp/markdown.ts';
import { progressReporter } from '#server/modules/mcp/progress.ts';
import { waitForRun } from '#server/modules/mcp/run-wait.ts';
import { defineTool, jsonResult, textResult, type ToolScope } from '#server/modules/mcp/tool-kit.ts';

export function registerFindingTools(server: McpServer, scope: ToolScope): void {
  const { services, auth } = scope;
  const { orm } = services;

  defineTool(server, scope, 'list_projects', {
    title: 'List projects',
    description: "Lists the team's Nyx projects (id, name, description). Call it first: every other tool takes a projectId from here.",
    input: ListProjectsInput,
    readOnly: true,
  }, async () => jsonResult({ items: await listProjects(orm, auth) }));

  defineTool(server, scope, 'search_findings', {
    title: 'Search findings',
    description:
      "Lists a project's code analysis findings (security, secrets, bugs), filtered by file path, severity, rule id, CWE id and status (open by default). " +
      'Use it to see what Nyx found before editing a file, or to find every instance of a weakness (e.g. cwe "CWE-89"). ' +
      'Returns { items: findings with id, path, range, ruleId, severity, message, status, fix }, total } sorted by path and line; page with limit/offset.',
    input: SearchFindingsInput,
    readOnly: true,
  }, async (input) => jsonResult(await searchFindings(scope, input)));

  defineTool(server, scope, 'explain_finding', {
    title: 'Explain a finding',
    description:
      'Explains one finding: where it is, what the rule checks and why it matters (CWE, OWASP), the suggested fix when there is one, and for data-flow rules the path from the untrusted source to the dangerous sink. ' +
      'Use it before fixing or dismissing a finding. Returns Markdown, with { finding, rule, flow } as structured content.',
    input: FindingRef,
    readOnly: true,
  }, async ({ findingId }) => {
    const finding = await getFinding(orm, auth, findingId);
    const rule = findRule(finding.ruleId) ?? null;
    // Data-flow (taint) findings carry their path from source to sink; others have none.
    const flow = finding.flow ?? null;
    return textResult(findingMarkdown(finding, rule ?? undefined, flow), { finding, rule, flow });
  });

  defineTool(server, scope, 'get_rule', {
    title: 'Get a rule',
    description: "Returns one analysis rule's documentation as Markdown: what it detects, why it matters, CWE and OWASP ids, a vulnerable and a fixed example. The same page is the resource nyx://rules/<ruleId>.",
    input: RuleRef,
    readOnly: true,
  }, async ({ ruleId }) => {
    const rule = findRule(ruleId);
    if (!rule) throw new NotFoundError(`rule ${ruleId}`);
    return textResult(ruleMarkdown(rule), { rule });
  });

  defineTool(server, scope, 'set_finding_status', {
    title: 'Triage a finding',
    description:
      'Changes a finding\'s triage status for the whole team: "dismissed" (give the reason, which the team sees, and the resolution: false-positive, wont-fix or accepted, the default) or "open" (reopen a dismissed finding). ' +
      'Findings become "fixed" on their own when an analysis no longer reports them. Returns the updated finding.',
    input: SetFindingStatusInput,
  }, async ({ findingId, status, reason, resolution }) => {
    if (status === 'dismissed' && !reason) throw new ValidationError('reason: say why the finding is dismissed (the team sees it)', 'reason');
    const change = status === 'dismissed' ? { status: resolution ?? ('accepted' as const), reason } : { status: 'reopened' as const, reason };
    return jsonResult(await triageFinding(orm, services.runs.bus, auth, findingId, change, status === 'dismissed' ? 'dismiss' : 'reopen'));
  });

  defineTool(server, scope, 'start_analysis', {
    title: 'Analyse a project',
    description:
      "Runs Nyx's analyzers on the project's latest uploaded snapshot (the files the editor extension or `nyx analyze` last sent), optionally only some rules. " +
      'Waits up to waitSeconds with progress notifications, then returns { runId, status, result: { files, findings, opened, fixed, ... } }; call search_findings afterwards. ' +
      'If it is still running, the runId is returned with status "running".',
    input: StartAnalysisInput,
  }, async ({ projectId, rules, includeGenerated, waitSeconds }, extra) => {
    await requireProject(orm, auth, projectId);
    const latest = await withTenant(orm, auth, (em) => em.findOne(Snapshot, { projectId }, { orderBy: { createdAt: 'desc', id: 'desc' } }));
    if (!latest) throw new NotFoundError(`snapshot of project ${projectId} (upload the files first: open the project in VS Code with Nyx, or run \`nyx analyze\`)`);
    const run = await startAnalysis(services, auth, projectId, { snapshotId: latest.id, rules, includeGenerated });
    const outcome = await waitForRun(services, auth, run.id, { waitMs: waitSeconds * 1000, signal: extra.signal, onEvent: progressReporter(extra) });
    return jsonResult({ runId: run.id, snapshotId: latest.id, status: outcome.run.status, result: outcome.run.result, error: outcome.run.error });
  });
}

/**
 * CWE ids belong to rules, not findings: a CWE filter becomes the rules that detect it, each
 * queried through the same service as the route (one query per rule; a CWE maps to a handful).
 */
async function searchFindings(scope: ToolScope, input: SearchFindings): Promise<{ items: StoredFinding[]; total: number }> {
  const { orm } = scope.services;
  const query = { path: input.path, severity: input.severity, status: input.status };
  if (!input.cwe) return listFindings(orm, scope.auth, input.projectId, { ...query, ruleId: input.ruleId, limit: input.limit, offset: input.offset });
  const ruleIds = allRules.filter((rule) => rule.cwe?.includes(input.cwe!) && (!input.ruleId || rule.id === input.ruleId)).map((rule) => rule.id);
  await requireProject(orm, scope.auth, input.projectId);
  const pages = await Promise.all(ruleIds.map((ruleId) => listFindings(orm, scope.auth, input.projectId, { ...query, ruleId, limit: input.offset + input.limit, offset: 0 })));
  const merged = pages.flatMap((page) => page.items).sort(byLocation);
  return { items: merged.slice(input.offset, input.offset + input.limit), total: pages.reduce((sum, page) => sum + page.total, 0) };
}

function byLocation(a: StoredFinding, b: StoredFinding): number {
  return a.path.localeCompare(b.path) || a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn || a.ruleId.localeCompare(b.ruleId) || a.id.localeCompare(b.id);
}
