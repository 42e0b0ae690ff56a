import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { embeddedDataDir, embeddedSocketDir } from '#server/main.ts';
import { startTestNyx, TEST_DB, type TestNyx } from '../helpers/nyx.ts';

/** The uid/gid of `nobody` on Debian and most Linux systems: "another local user". */
const NOBODY = 65534;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runAs(uid: number, executable: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(executable, args, { uid, gid: uid, cwd: '/', env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error) }));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A Node binary that `nobody` may execute. The test runner's own Node often lives under /root
 * (0700), which nobody cannot enter; the probe tells that failure apart from the one under test.
 */
async function nodeRunnableBy(uid: number): Promise<string | null> {
  for (const candidate of [process.execPath, '/usr/bin/node', '/usr/local/bin/node']) {
    const probe = await runAs(uid, candidate, ['-e', 'console.log("runnable")']);
    if (probe.stdout.trim() === 'runnable') return candidate;
  }
  return null;
}

/** What any PostgreSQL client does first: connect(2) to the socket file. Prints the outcome. */
const CONNECT_SCRIPT = `
const socket = require('node:net').connect(process.argv[1]);
socket.on('connect', () => { console.log('connected'); socket.destroy(); });
socket.on('error', (error) => console.log('refused:' + error.code));
`;

describe('embedded database: closed to other OS users', function () {
  let nyx: TestNyx;
  let socketPath: string;

  before(async function () {
    if (TEST_DB === 'postgres') this.skip(); // the embedded database is what is under test
    nyx = await startTestNyx();
    socketPath = join(embeddedSocketDir(nyx.home), '.s.PGSQL.5432');
  });

  after(async () => {
    await nyx?.close();
  });

  it('serves no TCP port: the URL names the socket directory in $NYX_HOME', () => {
    const url = new URL(nyx.databaseUrl);
    assert.equal(decodeURIComponent(url.hostname), embeddedSocketDir(nyx.home));
    assert.equal(url.password, '');
  });

  it('keeps the socket and the data files in directories only the owner can enter', async () => {
    assert.equal((await stat(embeddedSocketDir(nyx.home))).mode & 0o777, 0o700);
    assert.equal((await stat(embeddedDataDir(nyx.home))).mode & 0o777, 0o700);
    assert.equal((await stat(nyx.home)).mode & 0o777, 0o700);
    const socket = await stat(socketPath);
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o600);
    assert.equal(socket.uid, process.getuid!());
  });

  it('lets the owner connect with a plain pg client (so the refusal below means something)', async () => {
    const client = new pg.Client({ connectionString: nyx.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: number }>('select 1 as ok');
      assert.equal(rows[0].ok, 1);
    } finally {
      await client.end();
    }
  });

  it('refuses another local user (nobody) with EACCES', async function () {
    // Only root can start a process as another user; elsewhere the modes above are the proof.
    if (process.getuid!() !== 0) this.skip();
    const node = await nodeRunnableBy(NOBODY);
    if (!node) this.skip();
    const attempt = await runAs(NOBODY, node!, ['-e', CONNECT_SCRIPT, socketPath]);
    assert.equal(attempt.stdout.trim(), 'refused:EACCES', attempt.stderr);
    // The same script as the owner connects: the refusal is about the user, not the script.
    const owner = await runAs(process.getuid!(), process.execPath, ['-e', CONNECT_SCRIPT, socketPath]);
    assert.equal(owner.stdout.trim(), 'connected', owner.stderr);
  });
});
