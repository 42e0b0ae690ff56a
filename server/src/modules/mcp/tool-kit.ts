import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { AppError } from '#server/errors.ts';
import type { Logger } from '#server/logger.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import type { ToolExtra } from './progress.ts';
import type { Role } from '#protocol/roles.ts';
import { requireRole } from '#server/modules/tenancy/roles.ts';

/** What every tool runs with: the server's services and the caller, authenticated before the MCP layer. */
export interface ToolScope {
  services: AppServices;
  auth: Authenticated;
  log: Logger;
  requestId: string;
}

export interface ToolSpec<S extends z.ZodObject> {
  title: string;
  /** What it does, when to use it, what it returns: the agent chooses tools by this text. */
  description: string;
  input: S;
  /** Read-only tools say so, so clients may run them without asking. */
  readOnly?: boolean;
  /** The least role that may call it: unset, read-only tools need viewer and the others member (like routes). */
  role?: Role;
}

/** A tool answers with text for the model and, where it is data, the same as structured content. */
export function jsonResult(value: unknown, lead?: string): CallToolResult {
  const json = JSON.stringify(value, null, 2);
  const structured = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  return { content: [{ type: 'text', text: lead ? `${lead}\n\n${json}` : json }], structuredContent: structured };
}

export function textResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  return structured ? { content: [{ type: 'text', text }], structuredContent: structured } : { content: [{ type: 'text', text }] };
}

/**
 * A client's mistake (bad input, a missing or foreign id, a conflict) becomes a tool error the
 * agent can read and act on: the same words the HTTP API answers with, so another tenant's id
 * reads exactly like a missing one. Anything else is logged and reported without internals.
 */
export function toolError(error: unknown, scope: ToolScope, tool: string): CallToolResult {
  if (AppError.is(error) && error.status < 500) {
    const field = error.field ? ` (field: ${error.field})` : '';
    return { content: [{ type: 'text', text: `${error.code}: ${error.message}${field}` }], isError: true };
  }
  scope.log.error({ err: error, tool }, 'MCP tool failed');
  const unavailable = AppError.is(error) ? `${error.code}: ${error.message}` : `Something went wrong on the server. Quote request id ${scope.requestId} when reporting it.`;
  return { content: [{ type: 'text', text: unavailable }], isError: true };
}

/** Registers a tool whose input schema is the protocol/ contract, with the error mapping above. */
export function defineTool<S extends z.ZodObject>(
  server: McpServer,
  scope: ToolScope,
  name: string,
  spec: ToolSpec<S>,
  run: (input: z.output<S>, extra: ToolExtra) => Promise<CallToolResult>,
): void {
  const annotations: ToolAnnotations = { title: spec.title, readOnlyHint: spec.readOnly ?? false, openWorldHint: false };
  server.registerTool(name, { title: spec.title, description: spec.description, inputSchema: spec.input, annotations }, (async (input: z.output<S>, extra: ToolExtra) => {
    try {
      // Tools act as the caller, so they need the caller's role like the routes they mirror.
      requireRole(scope.auth, spec.role ?? (spec.readOnly ? 'viewer' : 'member'));
      return await run(input, extra);
    } catch (error) {
      return toolError(error, scope, name);
    }
  }) as never);
}
