import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from '../helpers/http.ts';
import { createScratchDatabase, TEST_DB } from '../helpers/nyx.ts';
import { startServerProcess, type ServerProcess } from '../runs/server-process.ts';

const BIN = new URL('../../../server/bin/nyx-server.js', import.meta.url).pathname;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

describe(`team-admin: nyx-server admin commands against a live server, then the database (${TEST_DB})`, () => {
  let home: string;
  let env: Record<string, string>;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;
  let server: ServerProcess | null = null;

  const cli = (...args: string[]): Promise<CliRun> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args, '--json'], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
        let json: unknown = null;
        try {
          json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
        } catch {
          // not JSON: the assertion below shows stdout and stderr
        }
        resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr, json });
      });
    });
  const ok = async (...args: string[]): Promise<CliRun> => {
    const run = await cli(...args);
    assert.equal(run.code, 0, `nyx-server ${args.join(' ')}\n${run.stdout}\n${run.stderr}`);
    return run;
  };

  async function startServer(): Promise<ServerProcess> {
    const started = await startServerProcess(env);
    // The socket opens right after the port does.
    for (let i = 0; i < 100; i++) {
      if (await stat(join(home, 'admin.sock')).then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return started;
  }

  before(async function () {
    this.timeout(240_000);
    home = await mkdtemp(join(tmpdir(), 'nyx-adm-'));
    env = { NYX_HOME: home, NYX_AUTH_CACHE_MS: '60000' };
    if (TEST_DB === 'postgres') {
      scratch = await createScratchDatabase();
      env.DATABASE_URL = scratch.url;
    }
  });

  after(async () => {
    await server?.stop();
    await scratch?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('adds a member, changes roles, invites and revokes through the running server; the API sees it at once', async function () {
    this.timeout(240_000);
    server = await startServer();
    const socket = await stat(join(home, 'admin.sock'));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o600);
    assert.equal((await stat(home)).mode & 0o777, 0o700);

    let ownerToken: string;
    let tenant: string;
    if (TEST_DB === 'embedded') {
      const credentials = JSON.parse(await readFile(join(home, 'credentials.json'), 'utf8'));
      ownerToken = credentials.token;
      tenant = credentials.tenantId;
    } else {
      tenant = (await ok('tenant', 'create', 'Acme')).json.id;
      await ok('user', 'create', '--tenant', 'Acme', 'ada@acme.test');
      ownerToken = (await ok('token', 'create', '--user', 'ada@acme.test')).json.token;
    }

    const added = await ok('user', 'create', '--tenant', tenant, 'bob@acme.test', '--role', 'admin', '--name', 'Bob');
    assert.match(added.stderr, /done by the running server/);
    assert.equal(added.json.role, 'admin');
    const bobToken = (await ok('token', 'create', '--user', 'bob@acme.test', '--scope', 'write', '--days', '30')).json;
    assert.equal(bobToken.scope, 'write');

    const members = await api(server.url, 'GET', '/api/v1/members', { token: ownerToken });
    assert.equal(members.body.items.find((m: { email: string }) => m.email === 'bob@acme.test').role, 'admin');
    assert.equal((await api(server.url, 'GET', '/api/v1/me', { token: bobToken.token })).body.token.role, 'member');

    // The server caches identities for a minute here: a role change must still apply at once.
    await ok('member', 'role', '--tenant', tenant, 'bob@acme.test', 'viewer');
    assert.equal((await api(server.url, 'GET', '/api/v1/me', { token: bobToken.token })).body.token.role, 'viewer');

    const lastOwner = await cli('member', 'role', '--tenant', tenant, TEST_DB === 'embedded' ? 'me@localhost' : 'ada@acme.test', 'member');
    assert.equal(lastOwner.code, 1);
    assert.match(lastOwner.stderr, /last owner/);
    const badRole = await cli('member', 'role', '--tenant', tenant, 'bob@acme.test', 'emperor');
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /role: must be one of viewer, member, admin, owner/);

    const invite = (await ok('invite', 'create', '--tenant', tenant, '--role', 'member', '--email', 'eve@acme.test', '--hours', '2')).json;
    assert.match(invite.code, /^nyxinv_/);
    const listed = await api(server.url, 'GET', '/api/v1/invitations', { token: ownerToken });
    assert.equal(listed.body.items.find((i: { id: string }) => i.id === invite.invitation.id).state, 'pending');
    const accepted = await api(server.url, 'POST', '/api/v1/invitations/accept', { body: { code: invite.code, email: 'eve@acme.test' } });
    assert.equal(accepted.status, 201);
    assert.equal(accepted.body.member.role, 'member');

    await ok('token', 'revoke', bobToken.id);
    assert.equal((await api(server.url, 'GET', '/api/v1/me', { token: bobToken.token })).status, 401, 'revoked at once, despite the cache');

    const audit = await api(server.url, 'GET', '/api/v1/audit?action=member.role', { token: ownerToken });
    const change = audit.body.items.find((i: { data: { email?: string } }) => i.data?.email === 'bob@acme.test');
    assert.equal(change.actor, null, 'the operator has no user');
    assert.equal(change.remoteAddress, null);
  });

  it('falls back to the database when no server runs, and the next server sees the changes', async function () {
    this.timeout(240_000);
    await server!.stop();
    server = null;
    const tenant = (await ok('tenant', 'list')).json.items.at(-1).id;
    const invite = await ok('invite', 'create', '--tenant', tenant, '--role', 'viewer');
    assert.doesNotMatch(invite.stderr, /running server/);
    await ok('user', 'create', '--tenant', tenant, 'carol@acme.test');
    const carol = (await ok('token', 'create', '--user', 'carol@acme.test')).json;
    const listed = (await ok('member', 'list', '--tenant', tenant)).json.items;
    assert.equal(listed.find((m: { email: string }) => m.email === 'carol@acme.test').role, 'member');

    server = await startServer();
    const me = await api(server.url, 'GET', '/api/v1/me', { token: carol.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.role, 'member');
    const invitations = await api(server.url, 'GET', '/api/v1/invitations', { token: carol.token });
    assert.equal(invitations.status, 403, 'a member may not list invitations');
    const removed = await ok('member', 'remove', '--tenant', tenant, 'carol@acme.test');
    assert.match(removed.stderr, /running server/);
    assert.equal((await api(server.url, 'GET', '/api/v1/me', { token: carol.token })).status, 401);
  });
});
