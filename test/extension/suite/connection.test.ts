// Connecting: the local credentials file, SecretStorage, sign out/in, an unreachable server.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { ensureConnected, nyx, serverCredentials, waitFor } from './helpers.ts';

describe('Connection', () => {
  it('connects by itself with the local server credentials file named in the settings', async () => {
    const api = await nyx();
    const state = await waitFor('a connection', () => (api.connection.state.kind === 'connected' ? api.connection.state : undefined));
    assert.equal(state.tokenSource, 'credentialsFile');
    assert.equal(state.serverUrl, serverCredentials().serverUrl);
    assert.equal(state.me.user.email, 'me@localhost');
    assert.match(api.statusBar.text, /Nyx: connected/);
  });

  it('signs out: the status bar says so, commands refuse, and the credentials file is not used again', async () => {
    const api = await ensureConnected();
    await vscode.commands.executeCommand('nyx.signOut');
    assert.equal(api.connection.state.kind, 'signedOut');
    assert.match(api.statusBar.text, /Nyx: signed out/);
    assert.throws(() => api.connection.requireClient(), /Not signed in .* Run "Nyx: Sign In"/);

    const reconnected = await api.connection.connect();
    assert.equal(reconnected.kind, 'signedOut', 'after an explicit sign-out the local credentials must not sign us back in');
  });

  it('refuses a wrong token with the server\'s own message and stores nothing', async () => {
    const api = await nyx();
    await api.connection.signOut();
    await assert.rejects(api.connection.signIn('nyx_this-token-does-not-exist'), (error: Error & { status?: number }) => {
      assert.equal(error.status, 401);
      assert.match(error.message, /token/i);
      return true;
    });
    assert.equal((await api.connection.connect()).kind, 'signedOut');
  });

  it('signs in with a token passed to "Nyx: Sign In" and keeps it in SecretStorage', async () => {
    const api = await nyx();
    const me = await vscode.commands.executeCommand<{ user: { email: string } }>('nyx.signIn', serverCredentials().token);
    assert.equal(me?.user.email, 'me@localhost');
    assert.equal(api.connection.state.kind, 'connected');

    // What the next window start does: connect again, now from SecretStorage.
    const again = await api.connection.connect();
    assert.equal(again.kind, 'connected');
    assert.equal(again.kind === 'connected' && again.tokenSource, 'signIn');
    assert.match(api.statusBar.text, /Nyx: connected/);
  });

  it('says clearly when the server does not answer, and comes back when the URL is right again', async () => {
    const api = await ensureConnected();
    const settings = vscode.workspace.getConfiguration('nyx');
    const original = settings.get<string>('serverUrl');
    const nobody = `http://127.0.0.1:${await closedPort()}`;
    try {
      await settings.update('serverUrl', nobody, vscode.ConfigurationTarget.Global);
      // No token for that server, and the credentials file names another: signed out of it.
      await waitFor('signed out of the other server', () => api.connection.state.kind === 'signedOut' && api.connection.state.serverUrl === nobody);
      await assert.rejects(api.connection.signIn(serverCredentials().token), (error: Error) => {
        assert.equal(error.message, `Cannot reach the Nyx server at ${nobody} (ECONNREFUSED). Is it running? Start it with "npx nyx-server start", or set "nyx.serverUrl" to where it runs.`);
        return true;
      });
    } finally {
      await settings.update('serverUrl', original, vscode.ConfigurationTarget.Global);
    }
    await waitFor('connected again', () => api.connection.state.kind === 'connected');
  });
});

/** A loopback port nothing listens on (it did a moment ago, for us). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
