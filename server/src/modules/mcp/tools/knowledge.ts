import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AddMemoryInput, AddNoteInput, ListReportsInput, ReportRef, SearchMemoryInput } from '#protocol/mcp.ts';
import { createMemory } from '#server/modules/memory/service.ts';
import { searchMemory } from '#server/modules/memory/search.ts';
import { createNote } from '#server/modules/notes/service.ts';
import { getReport, listReports, toReportSummary } from '#server/modules/reports/service.ts';
import { defineTool, jsonResult, textResult, type ToolScope } from '#server/modules/mcp/tool-kit.ts';

export function registerKnowledgeTools(server: McpServer, scope: ToolScope): void {
  const { services, auth } = scope;
  const { orm } = services;

  defineTool(server, scope, 'search_memory', {
    title: 'Search project memory',
    description:
      "Searches the project's memory (decisions, conventions and facts the team recorded, notes, and what past runs learned) by meaning and by words. " +
      'Use it before proposing a design or changing code, to follow what the team decided. Returns { items: hits with type (memory, note, code_pattern, workflow_insight), id, title, snippet, score } best first.',
    input: SearchMemoryInput,
    readOnly: true,
  }, async ({ projectId, query, limit }) => jsonResult(await searchMemory(services, auth, projectId, query, limit)));

  defineTool(server, scope, 'add_note', {
    title: 'Add a note',
    description:
      'Adds a note to the project, optionally anchored to a file and line range (location). Notes are shared with the team, shown in the editor and searchable from memory. ' +
      'Use it to leave an explanation or a to-do for people. Returns the note.',
    input: AddNoteInput,
  }, async ({ projectId, ...note }) => jsonResult(await createNote(services, auth, projectId, note)));

  defineTool(server, scope, 'add_memory', {
    title: 'Remember',
    description:
      'Adds one memory entry to the project: a "decision" (what was chosen and why), a "convention" (how the team does something) or a "fact" (about the system). ' +
      'Every persona, discussion and workflow of the project sees it from then on. Keep it to one self-contained statement. Returns the entry.',
    input: AddMemoryInput,
  }, async ({ projectId, ...entry }) => jsonResult(await createMemory(services, auth, projectId, entry)));

  defineTool(server, scope, 'list_reports', {
    title: 'List reports',
    description: 'Lists reports (analysis, autofix, discussion, workflow, digest), newest first, optionally of one project or kind. Returns summaries; read one with get_report or the resource nyx://reports/<id>.',
    input: ListReportsInput,
    readOnly: true,
  }, async (query) => jsonResult({ items: await listReports(orm, auth, query) }));

  defineTool(server, scope, 'get_report', {
    title: 'Get a report',
    description: 'Returns a report as Markdown (the same text as its Markdown export), with its title, kind and project as structured content.',
    input: ReportRef,
    readOnly: true,
  }, async ({ reportId }) => {
    const report = await getReport(orm, auth, reportId);
    return textResult(report.markdown, { ...toReportSummary(report) });
  });
}
