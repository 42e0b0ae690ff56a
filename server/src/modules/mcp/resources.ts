import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError, NotFoundError } from '#server/errors.ts';
import { parseWith } from '#server/http/mount.ts';
import { MCP_REPORT_URI, MCP_RULE_URI, ReportRef } from '#protocol/mcp.ts';
import { allRules, findRule } from '#server/modules/analysis/rule-docs.ts';
import { getReport, listReports } from '#server/modules/reports/service.ts';
import { ruleMarkdown } from './markdown.ts';
import type { ToolScope } from './tool-kit.ts';

const MARKDOWN = 'text/markdown';
/** Resource lists show the newest reports; older ones are reached by id (list_reports pages them). */
const LISTED_REPORTS = 100;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

/**
 * Reports and rule pages as MCP resources, so a client can attach them to a conversation. Read
 * failures reach the client as JSON-RPC errors: the same words as the API's 4xx for a client's
 * mistake (another tenant's report reads as missing), nothing internal otherwise.
 */
export function registerResources(server: McpServer, scope: ToolScope): void {
  const { services, auth } = scope;
  const guarded = async (work: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> => {
    try {
      return await work();
    } catch (error) {
      if (AppError.is(error) && error.status < 500) throw new Error(`${error.code}: ${error.message}`);
      scope.log.error({ err: error }, 'MCP resource read failed');
      throw new Error(`Something went wrong on the server. Quote request id ${scope.requestId} when reporting it.`);
    }
  };

  server.registerResource(
    'report',
    new ResourceTemplate(MCP_REPORT_URI, {
      list: async () => ({
        resources: (await listReports(services.orm, auth, { limit: LISTED_REPORTS })).map((report) => ({
          uri: `nyx://reports/${report.id}`,
          name: report.title,
          description: `${report.kind} report of project ${report.projectId}, ${report.createdAt}`,
          mimeType: MARKDOWN,
        })),
      }),
    }),
    { title: 'Nyx report', description: 'A report (analysis, autofix, discussion, workflow, digest) as Markdown.', mimeType: MARKDOWN },
    (uri, variables) =>
      guarded(async () => {
        const { reportId } = parseWith(ReportRef, { reportId: one(variables.reportId) }, 'uri');
        const report = await getReport(services.orm, auth, reportId);
        return { contents: [{ uri: uri.href, mimeType: MARKDOWN, text: report.markdown }] };
      }),
  );

  server.registerResource(
    'rule',
    new ResourceTemplate(MCP_RULE_URI, {
      list: async () => ({ resources: allRules.map((rule) => ({ uri: `nyx://rules/${rule.id}`, name: rule.id, title: rule.title, mimeType: MARKDOWN })) }),
    }),
    { title: 'Nyx analysis rule', description: 'What a rule detects, why it matters and how to fix it (CWE, OWASP, examples).', mimeType: MARKDOWN },
    (uri, variables) =>
      guarded(async () => {
        const ruleId = decodeURIComponent(one(variables.ruleId));
        const rule = findRule(ruleId);
        if (!rule) throw new NotFoundError(`rule ${ruleId}`);
        return { contents: [{ uri: uri.href, mimeType: MARKDOWN, text: ruleMarkdown(rule) }] };
      }),
  );
}
