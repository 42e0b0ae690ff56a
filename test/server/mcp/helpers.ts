// Shared by the MCP suites: the SDK's own client over real HTTP against the test server.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PATH } from '#protocol/mcp.ts';
import type { TestNyx } from '../helpers/nyx.ts';

export interface McpSession {
  client: Client;
  close(): Promise<void>;
}

/** Connects the way Claude Code or VS Code would with a configured header (no token: no header). */
export async function connectMcp(nyx: TestNyx, token: string | null): Promise<McpSession> {
  const client = new Client({ name: 'nyx-mcp-test', version: '1.0.0' });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(MCP_PATH, nyx.url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

export interface ToolAnswer {
  result: CallToolResult;
  text: string;
  data: any;
  progress: Progress[];
}

/** Calls a tool; with `withProgress` it passes a progressToken and collects the notifications. */
export async function callTool(session: McpSession, name: string, args: Record<string, unknown>, options: { withProgress?: boolean; timeoutMs?: number } = {}): Promise<ToolAnswer> {
  const progress: Progress[] = [];
  const result = (await session.client.callTool({ name, arguments: args }, undefined, {
    timeout: options.timeoutMs ?? 60_000,
    ...(options.withProgress ? { onprogress: (p: Progress) => void progress.push(p), resetTimeoutOnProgress: true } : {}),
  })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return { result, text, data: result.structuredContent, progress };
}

/** A tool call that must succeed: its error text is the assertion message otherwise. */
export async function callOk(session: McpSession, name: string, args: Record<string, unknown>, options: { withProgress?: boolean; timeoutMs?: number } = {}): Promise<ToolAnswer> {
  const answer = await callTool(session, name, args, options);
  assert.notEqual(answer.result.isError, true, `${name} failed: ${answer.text}`);
  return answer;
}

/** A tool call that must fail with a tool error (not a protocol error): returns its text. */
export async function callError(session: McpSession, name: string, args: Record<string, unknown>): Promise<string> {
  const answer = await callTool(session, name, args);
  assert.equal(answer.result.isError, true, `${name} should have failed but returned: ${answer.text}`);
  return answer.text;
}
