// A real nyx-server on the embedded database (PGlite) for the extension tests, in its own
// temporary NYX_HOME on a free port: what a user gets from `npx nyx-server start`.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface LiveServer {
  url: string;
  /** $NYX_HOME/credentials.json: { serverUrl, token, tenantId, userId }. */
  credentialsFile: string;
  stop(): Promise<void>;
}

// The first start migrates a fresh embedded database: ~3 s on an idle machine, over 90 s on 2 cores
// shared with several other test runs. NYX_TEST_SERVER_START_MS overrides it.
const START_TIMEOUT_MS = Number(process.env.NYX_TEST_SERVER_START_MS ?? 240_000);

export async function startLiveServer(repoRoot: string, workDir: string): Promise<LiveServer> {
  const home = path.join(workDir, 'nyx-home');
  mkdirSync(home, { recursive: true });
  // No DATABASE_URL: the embedded database, whatever the calling shell points at.
  const { DATABASE_URL: _external, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(repoRoot, 'server', 'bin', 'nyx-server.js'), 'start', '--json'], {
    cwd: repoRoot,
    env: { ...inherited, NYX_HOME: home, NYX_PORT: '0', NYX_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));

  // stdout mixes pino log lines with the one line `start --json` prints: the one with a url.
  const started = new Promise<{ url: string; credentialsFile: string }>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: string; credentialsFile?: string };
        if (parsed.url && parsed.credentialsFile) resolve({ url: parsed.url, credentialsFile: parsed.credentialsFile });
      } catch {
        // not JSON
      }
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const info = await Promise.race([
    started,
    exited.then((code) => {
      throw new Error(`nyx-server exited with ${code} before listening:\n${stderr}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`nyx-server did not listen within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`)), START_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));

  return {
    ...info,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!stopped) child.kill('SIGKILL');
    },
  };
}
