// The running server's admin interface for `nyx-server tenant|user|token|member|invite ...`:
// HTTP over a Unix socket, $NYX_HOME/admin.sock, mode 0600 in the 0700 $NYX_HOME. Whoever can
// connect is the OS user who runs the server (the kernel checks the directory and the socket on
// connect(2)), the same trust as $NYX_HOME/credentials.json and the embedded database's socket.
// It carries one request shape: POST /v1/command with an AdminRequest, answered with an
// AdminAnswer or a problem ({status, code, detail, field}).
import { chmod, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { AppError } from '#server/errors.ts';
import type { AppServices } from '#server/services.ts';
import { runAdminCommand } from './admin-commands.ts';
import { ADMIN_SOCKET_PATH, adminSocketPath, type AdminRequest } from './admin-protocol.ts';

const MAX_REQUEST_BYTES = 64 * 1024;
/** sun_path is 108 bytes on Linux (104 on macOS), with its terminating NUL. */
const MAX_SOCKET_PATH = 103;

/** Whether something answers on the socket (a live server) rather than a file left by a crash. */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function readRequest(request: IncomingMessage): Promise<AdminRequest> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new AppError(413, 'payload_too_large', 'the command is larger than 64 KiB');
    chunks.push(chunk);
  }
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<AdminRequest>;
  if (typeof parsed.command !== 'string' || !Array.isArray(parsed.positionals) || typeof parsed.options !== 'object' || parsed.options === null) {
    throw new AppError(400, 'usage', 'expected {command, positionals, options}');
  }
  return { command: parsed.command, positionals: parsed.positionals.map(String), options: parsed.options as AdminRequest['options'] };
}

/** Starts the admin socket; the returned function closes it and removes the file. */
export function startAdminSocket(services: Pick<AppServices, 'config' | 'orm' | 'log' | 'runs'>): () => void {
  const path = adminSocketPath(services.config.home);
  const log = services.log;
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    log.warn({ path }, 'NYX_HOME is too long for a Unix socket: the admin socket is off, and `nyx-server` admin commands will use the database');
    return () => undefined;
  }
  // The bus reaches this instance's authenticator and every other instance on the same PostgreSQL.
  const forget = (tokenIds: string[]) => {
    for (const tokenId of tokenIds) services.runs.bus.publish({ type: 'token.revoked', tokenId });
  };
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== ADMIN_SOCKET_PATH) return answer(404, { status: 404, code: 'not_found', detail: `POST ${ADMIN_SOCKET_PATH} only` });
    readRequest(request)
      .then((command) => runAdminCommand({ orm: services.orm, forget }, command))
      .then((result) => answer(200, result))
      .catch((error: unknown) => {
        if (AppError.is(error)) return answer(error.status, { status: error.status, code: error.code, detail: error.message, field: error.field });
        if (error instanceof SyntaxError) return answer(400, { status: 400, code: 'usage', detail: 'the command is not JSON' });
        log.error({ err: error }, 'admin command failed');
        answer(500, { status: 500, code: 'internal', detail: 'the command failed on the server; see its log' });
      });
  });
  let stopped = false;
  let listening = false;
  void (async () => {
    // A socket file nobody answers on was left by a server that did not shut down: replace it.
    // One that answers belongs to another server on this NYX_HOME: leave it to that one.
    if (await socketAnswers(path)) {
      log.warn({ path }, 'another Nyx server already answers on the admin socket; this one does not open it');
      return;
    }
    await unlink(path).catch(() => undefined);
    if (stopped) return;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    listening = true;
    await chmod(path, 0o600);
    log.debug({ path }, 'admin socket listening');
  })().catch((error: unknown) => log.warn({ err: error, path }, 'could not open the admin socket; `nyx-server` admin commands will use the database'));
  return () => {
    stopped = true;
    if (!listening) return;
    server.close();
    server.closeAllConnections();
    void unlink(path).catch(() => undefined);
  };
}
