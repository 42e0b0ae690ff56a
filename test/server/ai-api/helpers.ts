// Shared by the AI API suites: the provider fakes, a tenant whose providers point at them, SQL
// reads as the system role (to see what is really stored), and a response log to search for keys.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import { api, type ApiRequest, type ApiResponse } from '../helpers/http.ts';
import { createTestTenant, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

export interface ProviderFakes {
  anthropic: FakeAnthropic;
  openai: FakeOpenAI;
  close(): Promise<void>;
}

export async function startProviderFakes(): Promise<ProviderFakes> {
  const [anthropic, openai] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  return { anthropic, openai, close: async () => void (await Promise.all([anthropic.close(), openai.close()])) };
}

/** A realistic-looking key nobody else uses, so finding it anywhere means it leaked. */
export function uniqueKey(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

/** Rows as the system role sees them (it bypasses RLS): what is really in the table. */
export async function sql<T = Record<string, unknown>>(nyx: TestNyx, query: string, params: unknown[] = []): Promise<T[]> {
  const em = nyx.database.orm.em.fork() as EntityManager;
  return em.execute<T[]>(query, params);
}

/** Calls the API and keeps every response body, so a test can check none of them holds a secret. */
export class ApiClient {
  readonly responses: string[] = [];
  readonly #nyx: TestNyx;
  readonly #token: string;
  constructor(nyx: TestNyx, token: string) {
    this.#nyx = nyx;
    this.#token = token;
  }
  async call<T = any>(method: string, path: string, request: Omit<ApiRequest, 'token'> = {}): Promise<ApiResponse<T>> {
    const response = await api<T>(this.#nyx.url, method, path, { token: this.#token, ...request });
    this.responses.push(typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? ''));
    return response;
  }
}

export interface AiTenant extends TestTenant {
  client: ApiClient;
  anthropicKey: string;
  openaiKey: string;
}

/** A tenant with both providers configured over the API, pointed at the fakes. */
export async function tenantWithProviders(nyx: TestNyx, fakes: ProviderFakes, label: string): Promise<AiTenant> {
  const tenant = await createTestTenant(nyx, label);
  const client = new ApiClient(nyx, tenant.token);
  const anthropicKey = uniqueKey('sk-ant-api03');
  const openaiKey = uniqueKey('sk-proj');
  for (const [provider, apiKey, baseUrl] of [
    ['anthropic', anthropicKey, fakes.anthropic.url],
    ['openai', openaiKey, fakes.openai.url],
  ] as const) {
    const res = await client.call('PUT', `/api/v1/providers/${provider}`, { body: { apiKey, baseUrl } });
    if (res.status !== 200) throw new Error(`PUT ${provider}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { ...tenant, client, anthropicKey, openaiKey };
}

export interface AiCallRow {
  provider: string;
  model: string;
  kind: string;
  tokens_in: number;
  tokens_out: number;
  cost_usd: string;
  outcome: string;
  attempt: number;
  fallback_from: string | null;
  run_id: string | null;
  persona_id: string | null;
  error_message: string | null;
}

export function aiCalls(nyx: TestNyx, tenantId: string): Promise<AiCallRow[]> {
  return sql<AiCallRow>(nyx, `select * from ai_calls where tenant_id = ? order by created_at, attempt`, [tenantId]);
}
