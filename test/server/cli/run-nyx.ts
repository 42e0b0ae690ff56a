import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../cli/bin/nyx.js', import.meta.url));

export interface NyxRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the real `nyx` bin, as CI would, with no NYX_* variables leaking in from the shell. */
export function runNyx(args: readonly string[], env: Record<string, string> = {}): Promise<NyxRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NYX_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...clean, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A folder with the given files (path -> text); removed by the returned function. */
export async function makeTree(files: Record<string, string>): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nyx-cli-'));
  await writeTree(dir, files);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** One error (SQL injection), one warning (empty catch), one info (TODO), and an ignored file with an error. */
export const SAMPLE_TREE: Record<string, string> = {
  '.gitignore': 'build/\n*.log\n',
  'src/users.js': [
    'export function findUser(db, id) {',
    '  return db.query("SELECT * FROM users WHERE id = " + id);',
    '}',
    '',
  ].join('\n'),
  'src/safe.js': [
    'export function load(read) {',
    '  try {',
    '    return read();',
    '  } catch (error) {}',
    '  // TODO: report the failure',
    '}',
    '',
  ].join('\n'),
  'build/bundle.js': 'export const run = (code) => eval(code);\n',
  'debug.log': 'const key = "AKIAIOSFODNN7EXAMPLF";\n',
};
