import { z } from 'zod';
import type { RouteContract } from '#protocol/routes.ts';
import { Problem } from '#protocol/problem.ts';

/** OpenAPI 3.1 generated from the contracts in protocol/, so the document cannot drift from the code. */
export function buildOpenApi(contracts: RouteContract[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = { 'application/problem+json': { schema: z.toJSONSchema(Problem, { target: 'draft-2020-12' }) } };
  for (const contract of contracts) {
    const path = contract.path.replace(/[:*](\w+)/g, '{$1}');
    const parameters = [...contract.path.matchAll(/[:*](\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (contract.query) {
      const schema = z.toJSONSchema(contract.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property as { type: string } });
      }
    }
    const status = String(contract.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: contract.response
        ? { description: contract.summary, content: { 'application/json': { schema: z.toJSONSchema(contract.response, { unrepresentable: 'any' }) } } }
        : { description: contract.summary },
      default: { description: 'Problem', content: problem },
    };
    paths[path] ??= {};
    paths[path][contract.method] = {
      summary: contract.summary,
      parameters,
      ...(contract.auth ? { security: [{ bearer: [] }] } : {}),
      ...(contract.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(contract.body, { io: 'input', unrepresentable: 'any' }) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Nyx team service', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Nyx API token (nyx_...)' } } },
    paths,
  };
}
