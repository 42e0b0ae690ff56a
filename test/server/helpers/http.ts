import { CONFORMANCE_ON, serverConformance } from './conformance.ts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiRequest {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A thin fetch wrapper: tests read status, headers and the parsed JSON body. Each response is
 * checked against the OpenAPI document (helpers/conformance.ts) and a mismatch fails the test.
 */
export async function api<T = any>(baseUrl: string, method: string, path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined = request.rawBody;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl), { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  if (CONFORMANCE_ON) {
    // Every response the suite sees must be one the OpenAPI document describes (docs/security.md).
    const problems = serverConformance().check(method, path, response.status, response.headers.get('content-type'), text === '' ? undefined : parsed);
    if (problems.length) throw new Error(`The response does not match the OpenAPI document:\n  ${problems.join('\n  ')}`);
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
