// Shared by the in-host suites: the extension's services, the live server's credentials and a
// way to wait for something that happens over the network.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { NyxExtensionApi } from '../../../extension/extension.ts';

export async function nyx(): Promise<NyxExtensionApi> {
  const extension = vscode.extensions.getExtension<NyxExtensionApi>('nyx-dev.nyx');
  assert.ok(extension, 'nyx-dev.nyx is not installed');
  return extension.activate();
}

/** The live server the runner started (test/extension/live-server.ts), as the settings name it. */
export function serverCredentials(): { serverUrl: string; token: string } {
  const file = vscode.workspace.getConfiguration('nyx').get<string>('credentialsFile');
  assert.ok(file, 'nyx.credentialsFile is not set: the runner should point the editor at its nyx-server');
  return JSON.parse(readFileSync(file, 'utf8')) as { serverUrl: string; token: string };
}

/** Calls the server directly, as another client would (not through the extension). */
export async function callServer<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { serverUrl, token } = serverCredentials();
  const response = await fetch(new URL(path, serverUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Connected with whatever token; signs in with the local one when a test left it signed out. */
export async function ensureConnected(): Promise<NyxExtensionApi> {
  const api = await nyx();
  const kind = () => api.connection.state.kind;
  if (kind() !== 'connected') {
    await waitFor('the connection to settle', () => kind() !== 'connecting', 10_000);
    if (kind() !== 'connected') await api.connection.signIn(serverCredentials().token);
  }
  return api;
}

export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
