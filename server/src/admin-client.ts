// The CLI's side of the admin socket (server/src/modules/tenancy/admin-socket.ts): sends one
// command to the running server, or says there is none so the CLI opens the database itself.
import { request as httpRequest } from 'node:http';
import { AppError } from './errors.ts';
import { ADMIN_SOCKET_PATH, adminSocketPath, type AdminAnswer, type AdminRequest } from './modules/tenancy/admin-protocol.ts';

/** Nobody listens there: no file, or a file a crashed server left behind. */
const NO_SERVER = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK']);

export async function callAdminSocket(home: string, command: AdminRequest): Promise<{ socket: string; answer: AdminAnswer } | null> {
  const socketPath = adminSocketPath(home);
  const body = JSON.stringify(command);
  const reply = await new Promise<{ status: number; text: string } | null>((resolve, reject) => {
    const request = httpRequest({ socketPath, path: ADMIN_SOCKET_PATH, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 500, text }));
      response.on('error', reject);
    });
    request.on('error', (error: NodeJS.ErrnoException) => (NO_SERVER.has(error.code ?? '') ? resolve(null) : reject(error)));
    request.end(body);
  });
  if (!reply) return null;
  const parsed = JSON.parse(reply.text) as AdminAnswer & { code?: string; detail?: string; field?: string };
  if (reply.status !== 200) throw new AppError(reply.status, parsed.code ?? 'error', parsed.detail ?? `the server answered ${reply.status}`, { field: parsed.field });
  return { socket: socketPath, answer: { human: parsed.human, data: parsed.data } };
}
