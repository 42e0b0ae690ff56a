import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { contractGroupsOf } from '#server/feature.ts';
import { features } from '#server/features.ts';
import { buildOpenApi } from '#server/http/openapi.ts';

/**
 * Checks real responses against the OpenAPI document: the status is documented for the
 * operation (5xx may fall under `default`), the content type is one the document lists, and a
 * JSON body matches its schema. The api() helper runs every response of the suite through it,
 * so the document cannot claim what the server does not do.
 */
interface Operation {
  id: string;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface Template {
  method: string;
  regex: RegExp;
  literalSegments: number;
  operation: Operation;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export class ConformanceChecker {
  private readonly templates: Template[] = [];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly components: Record<string, Record<string, unknown>>;

  constructor(document: Record<string, any>) {
    addFormats(this.ajv);
    this.components = document.components?.schemas ?? {};
    for (const [path, methods] of Object.entries<Record<string, any>>(document.paths)) {
      const segments = path.split('/');
      const pattern = segments.map((segment) => (segment.startsWith('{') ? (segment === '{ruleId}' ? '.+' : '[^/]+') : escapeRegex(segment))).join('/');
      for (const [method, operation] of Object.entries(methods)) {
        this.templates.push({
          method: method.toUpperCase(),
          regex: new RegExp(`^${pattern}$`),
          literalSegments: segments.filter((segment) => !segment.startsWith('{')).length,
          operation: { id: operation.operationId, responses: operation.responses },
        });
      }
    }
    // /personas/categories before /personas/{id}: the router tries them in that order too.
    this.templates.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Problems with one response, or [] when it matches. A path the document lacks is not checked. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): string[] {
    const pathname = path.split('?')[0];
    const template = this.templates.find((candidate) => candidate.method === method.toUpperCase() && candidate.regex.test(pathname));
    if (!template) return [];
    const { operation } = template;
    const where = `${operation.id} (${method.toUpperCase()} ${pathname}) answered ${status}`;
    const response = operation.responses[String(status)] ?? (status >= 500 ? operation.responses.default : undefined);
    if (!response) return [`${where}, which the document does not list (it lists ${Object.keys(operation.responses).join(', ')})`];
    if (!response.content) return body === undefined || body === '' ? [] : [`${where} with a body, but the document lists none`];
    const essence = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const media = response.content[essence];
    if (!media) return [`${where} with content type "${essence}"; the document lists ${Object.keys(response.content).join(', ')}`];
    if (!/json$/.test(essence) || !media.schema) return [];
    const validate = this.validatorFor(`${operation.id} ${status} ${essence}`, media.schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((error) => `${where}: body${error.instancePath} ${error.message} (${JSON.stringify(error.params)})`);
  }

  private validatorFor(key: string, schema: Record<string, unknown>): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      const ref = typeof schema.$ref === 'string' ? /^#\/components\/schemas\/(\w+)$/.exec(schema.$ref) : null;
      validate = this.ajv.compile(ref ? this.components[ref[1]] : schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let shared: ConformanceChecker | null = null;

/** The checker for the document this server build generates (the same one GET /api/v1/openapi.json serves). */
export function serverConformance(): ConformanceChecker {
  shared ??= new ConformanceChecker(buildOpenApi(contractGroupsOf(features), 'test'));
  return shared;
}

/** On unless NYX_API_CONFORMANCE=off (an escape hatch while a contract is being fixed). */
export const CONFORMANCE_ON = process.env.NYX_API_CONFORMANCE !== 'off';
