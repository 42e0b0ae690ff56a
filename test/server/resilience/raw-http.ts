// Requests from a chosen local source address (127.0.0.2 is loopback too on Linux, but a
// different client address to the server), and event streams held open as raw sockets so a test
// can cut them abruptly.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export function rawRequest(baseUrl: string, path: string, options: { token?: string; localAddress?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), {
      method: 'GET',
      agent: false,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens an event stream and resolves once its headers arrived; `destroy()` kills the socket without a goodbye. */
export function openStream(baseUrl: string, path: string, token: string): Promise<{ status: number; destroy(): void }> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(new URL(path, baseUrl), { method: 'GET', agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    req.on('response', (res) => {
      res.on('data', () => undefined);
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, destroy: () => req.socket?.destroy() });
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

/** A value read from Prometheus text: the sample of `name` with exactly these labels (none: unlabelled). */
export function sample(metricsText: string, name: string, labels = ''): number | null {
  const line = metricsText.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}
