import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerResources } from './resources.ts';
import type { ToolScope } from './tool-kit.ts';
import { registerFindingTools } from './tools/findings.ts';
import { registerKnowledgeTools } from './tools/knowledge.ts';
import { registerTeamTools } from './tools/team.ts';

/** Read by the agent at initialize: where to start and how the tools fit together. */
const INSTRUCTIONS = [
  'Nyx is the team\'s code analysis and AI engineering service. Start with list_projects to get a projectId.',
  'Findings: search_findings, then explain_finding before fixing or dismissing (set_finding_status). start_analysis re-analyses the latest uploaded files.',
  'Knowledge: search_memory before design decisions; add_memory and add_note record what the team should know.',
  'Team: list_personas, then start_discussion for questions that deserve several expert views; list_workflows and start_workflow for multi-step reviews.',
  'Reports: list_reports and get_report, or the nyx://reports/{id} resources; rule documentation: get_rule or nyx://rules/{ruleId}.',
].join('\n');

/**
 * One MCP server per HTTP request, bound to the caller (stateless Streamable HTTP, decision 0016):
 * every tool and resource closes over the authenticated tenant, so nothing the caller sends can
 * choose another one, and any instance behind the load balancer can answer any request.
 */
export function createMcpServer(scope: ToolScope): McpServer {
  const server = new McpServer({ name: 'nyx', title: 'Nyx', version: scope.services.version }, { instructions: INSTRUCTIONS });
  registerFindingTools(server, scope);
  registerKnowledgeTools(server, scope);
  registerTeamTools(server, scope);
  registerResources(server, scope);
  return server;
}
