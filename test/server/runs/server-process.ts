import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const BIN = new URL('../../../server/bin/nyx-server.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves once the process exited (after kill or stop). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real `nyx-server start` process. Its environment is exactly `env` (plus PATH), so
 * nothing from the test process (a DATABASE_URL, say) leaks in. Resolves when it listens.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--json'], {
    env: { PATH: process.env.PATH ?? '', NYX_PORT: '0', NYX_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(() => undefined);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        // a log line; keep reading
      }
    });
    void exited.then(() => reject(new Error(`nyx-server exited before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
