// In-host tests of single sign-on and team administration, against the live server and the
// runner's OpenID Connect provider (a real one on loopback, test/extension/sso-idp.ts). The
// browser step is done over HTTP by the same driver the server tests use; the rest is the
// extension's own: its authentication provider, URI handler, commands and Team view.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NyxExtensionApi } from '../../../extension/extension.ts';
import { openInBrowser } from '../../../extension/connection/sso-auth-provider.ts';
import type { TeamNode } from '../../../extension/team/team-admin-tree.ts';
import { TestBrowser } from '../../server/sso/browser.ts';
import { callServer, ensureConnected, serverCredentials, waitFor } from './helpers.ts';

interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  ownerLogin: string;
}

function testIdp(): TestIdp {
  assert.ok(process.env.NYX_TEST_IDP, 'NYX_TEST_IDP is not set: the runner starts the identity provider');
  return JSON.parse(process.env.NYX_TEST_IDP) as TestIdp;
}

async function asToken<T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, serverCredentials().serverUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

describe('single sign-on and the Team view', function () {
  this.timeout(60_000);
  let api: NyxExtensionApi;
  let teamName: string;
  const idp = testIdp();

  before(async () => {
    api = await ensureConnected();
    teamName = (await callServer<{ tenant: { name: string } }>('GET', '/api/v1/me')).tenant.name;
    await callServer('PUT', '/api/v1/sso/config', {
      issuerUrl: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      groupRoles: { 'nyx-admins': 'admin' },
    });
    // The person at the browser: signs in at the IdP, and the editor URI comes back to this window.
    api.sso.openBrowser = async (url) => {
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(`${vscode.env.uriScheme}://nyx-dev.nyx/sso`));
      const stopAt = external.with({ query: '', fragment: '' }).toString(true);
      const landed = await new TestBrowser().signIn(url, { login: idp.ownerLogin, stopAt });
      const query = new URLSearchParams([...landed.searchParams].filter(([key]) => !key.startsWith('vscode-')));
      api.sso.handleUri(vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: 'nyx-dev.nyx', path: '/sso', query: query.toString() }));
      return true;
    };
  });

  after(async () => {
    api.sso.openBrowser = openInBrowser;
    if (await api.sso.hasSession()) await api.sso.removeSession();
    await api.connection.signIn(serverCredentials().token);
    await callServer('DELETE', '/api/v1/sso/config');
  });

  it('signs in through the identity provider: the connection runs on a session token, the provider lists the account', async () => {
    const localToken = serverCredentials().token;
    const result = await vscode.commands.executeCommand<{ email: string; role: string; tenant: string }>('nyx.signInWithSso', teamName);
    assert.ok(result, 'the command did not complete the sign-in (see the Nyx log)');
    assert.equal(result.tenant, teamName);
    assert.equal(result.role, 'owner', 'the local user is the team\'s owner, and the IdP never demotes an owner');
    const state = api.connection.state;
    assert.equal(state.kind, 'connected');
    assert.notEqual(state.client.token, localToken);
    const me = await asToken<{ token: { expiresAt: string | null } }>(state.client.token, 'GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.ok(me.body.token.expiresAt, 'a session token always expires');
    const sessions = await api.sso.getSessions();
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].accessToken, state.client.token);
    assert.match(sessions[0].account.label, new RegExp(teamName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('refreshes the session: a new token in use, the old one refused by the server', async () => {
    const before = (await api.sso.getSessions())[0].accessToken;
    const renewed = await api.sso.refresh();
    assert.ok(renewed);
    assert.notEqual(renewed.token, before);
    await waitFor('the connection to use the new token', () => api.connection.state.kind === 'connected' && api.connection.state.client.token === renewed.token);
    assert.equal((await asToken(before, 'GET', '/api/v1/me')).status, 401);
    assert.equal((await asToken(renewed.token, 'GET', '/api/v1/me')).status, 200);
  });

  it('creates an access token with a name, scope and expiry, copies it once to the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    const created = await vscode.commands.executeCommand<{ prefix: string; scope: string; expiresAt: string | null }>('nyx.createAccessToken', {
      name: 'second machine',
      scope: 'read',
      expiresInDays: 30,
    });
    assert.ok(created);
    assert.equal(created.scope, 'read');
    const days = (Date.parse(created.expiresAt!) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
    const secret = await vscode.env.clipboard.readText();
    assert.ok(secret.startsWith(created.prefix), 'the clipboard holds the new token');
    const me = await asToken<{ token: { scope: string; role: string } }>(secret, 'GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.token.scope, me.body.token.role], ['read', 'viewer']);
  });

  it('shows members, invitations, recent activity and security events to an admin, and manages a member', async () => {
    const store = api.teamAdmin.store;
    await store.reload();
    const roots = api.teamAdmin.tree.getChildren();
    assert.deepEqual(
      roots.map((node) => (node.kind === 'section' ? node.section : node.kind)),
      ['members', 'invitations', 'audit', 'security'],
    );

    // Invite from the editor: the code lands on the clipboard, the invitation in the view.
    await vscode.env.clipboard.writeText('');
    const invited = await vscode.commands.executeCommand<{ id: string; role: string }>('nyx.team.invite', { role: 'member', email: 'newcomer@team-admin.test' });
    assert.ok(invited);
    const code = await vscode.env.clipboard.readText();
    assert.ok(code.length > 10);
    const invitations = api.teamAdmin.tree.getChildren({ kind: 'section', section: 'invitations' });
    assert.ok(invitations.some((node) => node.kind === 'invitation' && node.invitation.id === invited.id));

    // The invitee accepts it (another client), then the admin promotes and removes them from the view.
    const accepted = await fetch(new URL('/api/v1/invitations/accept', serverCredentials().serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, email: 'newcomer@team-admin.test' }),
    });
    assert.equal(accepted.status, 201, await accepted.clone().text());
    await vscode.commands.executeCommand('nyx.team.refresh');
    const memberNode = (): TeamNode | undefined =>
      api.teamAdmin.tree.getChildren({ kind: 'section', section: 'members' }).find((node) => node.kind === 'member' && node.member.email === 'newcomer@team-admin.test');
    const node = memberNode();
    assert.ok(node && node.kind === 'member');
    assert.equal(node.member.role, 'member');
    assert.equal(api.teamAdmin.tree.getTreeItem(node).contextValue, 'nyx.team.member.manageable');

    await vscode.commands.executeCommand('nyx.team.changeRole', node, { role: 'viewer' });
    const changed = memberNode();
    assert.ok(changed && changed.kind === 'member');
    assert.equal(changed.member.role, 'viewer');
    const audit = api.teamAdmin.tree.getChildren({ kind: 'section', section: 'audit' });
    assert.ok(audit.some((entry) => entry.kind === 'audit' && entry.entry.action === 'member.role'), 'the role change shows in Recent activity');

    assert.equal(await vscode.commands.executeCommand('nyx.team.removeMember', changed, true), true);
    assert.equal(memberNode(), undefined);
  });

  it('signs out: the session ends on the server too', async () => {
    const token = (await api.sso.getSessions())[0].accessToken;
    await vscode.commands.executeCommand('nyx.signOut');
    assert.deepEqual(await api.sso.getSessions(), []);
    assert.equal(api.connection.state.kind, 'signedOut');
    assert.equal((await asToken(token, 'GET', '/api/v1/me')).status, 401);
  });
});
