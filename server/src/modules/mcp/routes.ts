import Router from '@koa/router';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AppServices } from '#server/services.ts';
import { readJsonBody } from '#server/http/body.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import type { MountDeps } from '#server/http/mount.ts';
import { MCP_PATH } from '#protocol/mcp.ts';
import { createMcpServer } from './server.ts';

/** Discussion and workflow tools take context files: allow what their routes allow. */
const MCP_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Streamable HTTP at /mcp, stateless: each POST carries one JSON-RPC message (or batch) and is
 * answered on its own, as JSON or as an SSE stream when the tool sends progress. The Bearer token
 * is checked here, before the MCP layer, with the same Authenticator as every route (401 problem
 * document without one). GET (a server-initiated stream) and DELETE (ending a session) belong to
 * sessions, which this server does not keep: 405.
 */
export function mcpRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const authenticate = async (ctx: NyxContext) => {
    ctx.state.auth = await deps.authenticator.authenticate(ctx.get('authorization') || undefined, ctx.ip || null);
    return ctx.state.auth;
  };

  router.post(MCP_PATH, async (ctx) => {
    const auth = await authenticate(ctx);
    const body = await readJsonBody(ctx.req, Math.max(deps.bodyLimitBytes, MCP_BODY_LIMIT_BYTES));
    const server = createMcpServer({ services, auth, log: ctx.state.log, requestId: ctx.state.requestId });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    // The transport writes the response itself (JSON or a stream that outlives this middleware).
    ctx.respond = false;
    ctx.res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(ctx.req, ctx.res, body);
  });

  const sessionsNotKept = async (ctx: NyxContext) => {
    await authenticate(ctx);
    ctx.status = 405;
    ctx.set('Allow', 'POST');
    ctx.body = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; send every message as a POST.' }, id: null };
  };
  router.get(MCP_PATH, sessionsNotKept);
  router.delete(MCP_PATH, sessionsNotKept);
  return router;
}
