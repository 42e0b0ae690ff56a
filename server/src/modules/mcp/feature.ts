// The MCP feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { mcpRouter } from './routes.ts';

/**
 * The Model Context Protocol server at /mcp (docs/mcp.md): coding agents reach findings, rules,
 * memory, personas, discussions, workflows and reports through tools over the other features'
 * services. No HTTP contracts of its own in the OpenAPI document: MCP describes itself (tools/list).
 */
export const mcpFeature: Feature = {
  name: 'mcp',
  contracts: {},
  router: mcpRouter,
  runKinds: [],
  entities: [],
  eventKinds: [],
};
