// Starts and stops code-server (VS Code's server + web workbench, installed by
// scripts/ci/code-server.sh) with the extension staged the way a VSIX install lays it out.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface CodeServer {
  url: string;
  /** code-server's own stdout/stderr. */
  logFile: string;
  /** VS Code's logs (exthost.log and friends) live under here. */
  userDataDir: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  bin: string;
  repoRoot: string;
  workspace: string;
  /** Scratch directory owned by the caller. */
  workDir: string;
  env: Record<string, string>;
}

/** NYX_CODE_SERVER_BIN, or where scripts/ci/code-server.sh installs it. */
export function codeServerBin(): string {
  const cache = process.env.NYX_CACHE ?? path.join(os.homedir(), '.cache', 'nyx-ci');
  return process.env.NYX_CODE_SERVER_BIN ?? path.join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
}

/**
 * Copies what the VSIX ships (package.json + the built extension; not dist/test) to
 * <extensions-dir>/<publisher>.<name>-<version>, where VS Code's scanner finds installed extensions.
 */
function stageExtension(repoRoot: string, extensionsDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  cpSync(path.join(repoRoot, 'package.json'), path.join(target, 'package.json'));
  const dist = process.env.NYX_BUILD_DIR ? path.resolve(process.env.NYX_BUILD_DIR) : path.join(repoRoot, 'dist');
  cpSync(dist, path.join(target, 'dist'), {
    recursive: true,
    filter: (source) => source !== path.join(dist, 'test'),
  });
  for (const extra of ['media', 'README.md', 'LICENSE']) {
    const source = path.join(repoRoot, extra);
    if (existsSync(source)) cpSync(source, path.join(target, extra), { recursive: true });
  }
  return target;
}

/** Settings that keep first-run UI (welcome page, chat setup, tips) from covering the workbench. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const extensionsDir = path.join(options.workDir, 'extensions');
  const userDataDir = path.join(options.workDir, 'user-data');
  stageExtension(options.repoRoot, extensionsDir);
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  // Settings the caller wrote first (e.g. where the Nyx server is) are kept.
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const existing = existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(settingsFile, JSON.stringify({ ...QUIET_USER_SETTINGS, ...existing }, null, 2));

  const configFile = path.join(options.workDir, 'code-server.yaml');
  writeFileSync(configFile, '');
  const port = await freeLoopbackPort();
  const logFile = path.join(options.workDir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    options.bin,
    [
      // An empty config file: ~/.config/code-server/config.yaml (password auth, other ports) must not leak in.
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      // Workspace trust stays on, as users have it: the runner trusts the fixture folder through
      // the startup dialog (ui.ts, Workbench.open), and a UI test opens an untrusted folder.
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      options.workspace,
    ],
    {
      // code-server's bin is `#!/usr/bin/env node` and must run on the Node it was built for
      // (24): the one running this script goes first on PATH.
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so stop() also ends the server and extension host it forks.
      detached: true,
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitForHealthy(url),
    exited.then((code) => {
      throw new Error(`code-server exited with ${code} before listening; see ${logFile}`);
    }),
  ]);
  return { url, logFile, userDataDir, exited, stop: () => stopProcessGroup(child, exited) };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealthy(url: string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopProcessGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
  if (!stopped) signalGroup('SIGKILL');
}
