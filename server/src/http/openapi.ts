import { z } from 'zod';
import type { RouteContract } from '#protocol/routes.ts';
import { Problem } from '#protocol/problem.ts';
import { requiredRole } from '#server/modules/tenancy/roles.ts';

/** Contracts by feature: the group name and the contract's key make the operationId. */
export type ContractGroups = Record<string, Record<string, RouteContract>>;

/** What each error status means on every route that can answer it; the body is always a Problem. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `field` names the parameter or body field',
  401: 'Missing, unknown, expired or revoked token',
  403: 'The caller\'s role (or the token\'s scope) does not allow this; `detail` names the role needed',
  404: 'No such resource in this tenant',
  409: 'Conflicts with the current state',
  413: 'The request body is larger than the limit',
  415: 'The request body is not JSON in UTF-8',
  422: 'Understood but cannot be processed',
  429: 'Too many requests or over budget; retry later',
  502: 'An upstream provider failed',
  503: 'A dependency is unavailable',
};

/** Non-JSON media types whose body is bytes rather than text. */
const BINARY = /^(application\/pdf|application\/octet-stream|image\/(png|jpeg|webp|gif))$/;

/**
 * OpenAPI 3.1 generated from the contracts in protocol/, so the document cannot drift from the
 * code: every status a route can answer (the mount implies 400/401/404/413/415, contracts add
 * the rest), raw bodies, uuid path ids, an operationId per contract and bearer security unless
 * the route is public.
 */
export function buildOpenApi(groups: ContractGroups, version: string, serverUrl: string | null = null): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const [group, contracts] of Object.entries(groups)) {
    for (const [key, contract] of Object.entries(contracts)) {
      const path = contract.path.replace(/[:*](\w+)/g, '{$1}');
      paths[path] ??= {};
      paths[path][contract.method] = {
        operationId: operationIdOf(group, key),
        tags: [group],
        summary: contract.summary,
        ...roleOf(contract),
        parameters: [...pathParameters(contract), ...queryParameters(contract)],
        security: contract.auth ? [{ bearer: [] }] : [],
        ...requestBodyOf(contract),
        responses: { ...successResponses(contract), ...errorResponses(contract, problem) },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nyx team service',
      version,
      description: 'The Nyx team service API. Generated from the route contracts in protocol/.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative unless NYX_PUBLIC_URL is set: the document is served by the server it describes.
    servers: [{ url: serverUrl ?? '/', description: 'This Nyx team service' }],
    tags: Object.keys(groups).map((name) => ({ name })),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Nyx API token (nyx_...)' } },
      schemas: { Problem: jsonSchema(Problem, 'output') },
    },
    paths,
  };
}

/**
 * The least role the route needs, machine-readable (`x-nyx-role`) and in words; public routes
 * need none. See docs/team-admin.md#roles.
 */
function roleOf(contract: RouteContract): Record<string, unknown> {
  if (!contract.auth) return { description: 'Public: no token needed.' };
  const role = requiredRole(contract);
  return { description: `Needs role **${role}** or above (roles: viewer < member < admin < owner; a token's scope can lower its role).`, 'x-nyx-role': role };
}

/** `reports` + `exportMarkdown` → `reportsExportMarkdown`: unique because contract keys are. */
export function operationIdOf(group: string, key: string): string {
  return `${group}${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

interface ObjectSchema {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}

function pathParameters(contract: RouteContract): Record<string, unknown>[] {
  const declared = contract.params ? (jsonSchema(contract.params, 'input') as ObjectSchema).properties ?? {} : {};
  return [...contract.path.matchAll(/[:*](\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: declared[m[1]] ?? { type: 'string' },
  }));
}

function queryParameters(contract: RouteContract): Record<string, unknown>[] {
  if (!contract.query) return [];
  const schema = jsonSchema(contract.query, 'input') as ObjectSchema;
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function requestBodyOf(contract: RouteContract): Record<string, unknown> {
  if (contract.rawBody) {
    return { requestBody: { required: true, content: { [contract.rawBody]: { schema: { type: 'string', contentMediaType: contract.rawBody } } } } };
  }
  if (!contract.body) return {};
  return { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } } } };
}

function successResponses(contract: RouteContract): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (contract.response) content['application/json'] = { schema: jsonSchema(contract.response, 'output') };
  for (const type of contract.produces ?? []) {
    if (type === 'application/json') content[type] = { schema: { type: 'object' } }; // a document with no contract (a JSON Schema)
    else if (/\+json$/.test(type) && contract.response) content[type] = { schema: jsonSchema(contract.response, 'output') }; // e.g. SARIF
    else content[type] = { schema: BINARY.test(type) ? { type: 'string', contentMediaType: type } : { type: 'string' } };
  }
  const responses: Record<string, unknown> = {};
  for (const status of [contract.status ?? 200, ...(contract.alsoStatus ?? [])]) {
    responses[String(status)] = status === 204 || Object.keys(content).length === 0 ? { description: contract.summary } : { description: contract.summary, content };
  }
  return responses;
}

/** The error statuses the mount implies, plus the contract's own; 5xx fall under `default`. */
export function errorStatuses(contract: RouteContract): number[] {
  const statuses = new Set<number>([400]);
  // Authentication is rate limited (failures per address, requests per token): 429 + Retry-After.
  if (contract.auth) statuses.add(401).add(429);
  // A role above viewer can be missing: 403 naming it.
  if (contract.auth && requiredRole(contract) !== 'viewer') statuses.add(403);
  if (/[:*]\w/.test(contract.path)) statuses.add(404);
  // A body may name other rows (a projectId, a runId): one the tenant does not have is a 404.
  if (contract.body) statuses.add(404).add(413).add(415);
  if (contract.rawBody) statuses.add(413);
  // Any write can meet a unique or reference constraint, which the error middleware answers as 409.
  if (contract.method !== 'get') statuses.add(409);
  for (const status of contract.errors ?? []) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

function errorResponses(contract: RouteContract, problem: Record<string, unknown>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const status of errorStatuses(contract)) {
    responses[String(status)] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: problem };
  }
  responses.default = { description: 'Unexpected server error', content: problem };
  return responses;
}
