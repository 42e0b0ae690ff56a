import * as vscode from 'vscode';
import { tokenRoutes, type TokenScope } from '#protocol/tokens.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { copySecretOnce } from './copy-secret.ts';

export interface CreateTokenArgs {
  name?: string;
  scope?: TokenScope;
  /** null: never expires. */
  expiresInDays?: number | null;
}

type Pick<T> = vscode.QuickPickItem & { value: T };

const SCOPES: Pick<TokenScope>[] = [
  { label: 'write', description: 'work as a member: runs, notes, triage (capped by your role)', value: 'write' },
  { label: 'read', description: 'read only, like a viewer', value: 'read' },
  { label: 'admin', description: 'everything your role allows', value: 'admin' },
];
const EXPIRIES: Pick<number | null>[] = [
  { label: '30 days', value: 30 },
  { label: '90 days', value: 90 },
  { label: '1 year', value: 365 },
  { label: 'Never', description: 'until revoked', value: null },
];

/**
 * "Nyx: Create Access Token": a personal token for a second machine or a script. The secret is
 * shown once and copied to the clipboard; the server keeps only its hash. Arguments skip the
 * questions (tests, keybindings).
 */
export function registerCreateTokenCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.createAccessToken', log, async (args: CreateTokenArgs = {}) => {
    const client = connection.requireClient();
    const name =
      args.name ??
      (await vscode.window.showInputBox({
        title: 'Nyx: Create Access Token (1/3)',
        prompt: 'A name that says where the token is used',
        placeHolder: 'laptop, CI, second machine…',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'Give the token a name'),
      }));
    if (!name) return undefined;
    const scope = args.scope ?? (await vscode.window.showQuickPick(SCOPES, { title: 'Nyx: Create Access Token (2/3): scope', ignoreFocusOut: true }))?.value;
    if (!scope) return undefined;
    let expiresInDays: number | null | undefined = args.expiresInDays;
    if (expiresInDays === undefined) {
      const picked = await vscode.window.showQuickPick(EXPIRIES, { title: 'Nyx: Create Access Token (3/3): expires in', ignoreFocusOut: true });
      if (!picked) return undefined;
      expiresInDays = picked.value;
    }
    const issued = await client.call(tokenRoutes.create, { body: { name: name.trim(), scope, expiresInDays } });
    const copied = await copySecretOnce(issued.secret, 'access token', log);
    log.info(`Created access token ${issued.token.prefix}… (${issued.token.scope}, ${issued.token.expiresAt ? `until ${issued.token.expiresAt}` : 'no expiry'})`);
    if (copied) {
      void vscode.window.showInformationMessage(`Nyx: token "${issued.token.name}" (${issued.token.prefix}…) copied to the clipboard. It is shown only this once: store it now.`);
    }
    return { id: issued.token.id, prefix: issued.token.prefix, scope: issued.token.scope, expiresAt: issued.token.expiresAt };
  });
}
