import * as vscode from 'vscode';
import type { PolicyFormat, PolicyUploadResult, StarterInstallResult } from '#protocol/policies.ts';
import { MAX_POLICY_BYTES } from '#protocol/policies.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { policiesApi } from './policies-api.ts';
import type { PoliciesStore } from './policies-store.ts';
import { resolveDocumentId } from './policy-target.ts';
import type { DocumentTarget } from './policy-target.ts';

/** What "Upload Policy..." takes from scripts and tests; the Policies view passes its node. */
export interface UploadPolicyOptions {
  /** The file; without it, an open dialog. */
  uri?: vscode.Uri;
  /** Upload as a new version of the document with this key; without it (and without a node), asked when the team has policies. */
  key?: string;
  title?: string;
}

const FORMAT_BY_EXTENSION: Record<string, PolicyFormat> = { md: 'markdown', markdown: 'markdown', txt: 'text', text: 'text', pdf: 'pdf' };

/** The upload format of a file, by its extension. */
export function policyFormatOf(uri: vscode.Uri): PolicyFormat | undefined {
  const extension = /\.([^./]+)$/.exec(uri.path)?.[1]?.toLowerCase();
  return extension ? FORMAT_BY_EXTENSION[extension] : undefined;
}

/**
 * "Nyx: Upload Policy...", "Nyx: Install Starter Policies", "Nyx: Delete Policy". Uploading the same
 * key again makes a new version (the older ones stay readable); the server splits the clauses
 * and answers 4xx with the reason for a document it cannot use, which is shown as is.
 */
export function registerManagePolicyCommands(connection: Connection, store: PoliciesStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommand('nyx.uploadPolicy', log, async (target?: UploadPolicyOptions | DocumentTarget): Promise<PolicyUploadResult | undefined> => {
      const client = connection.requireClient();
      const options: UploadPolicyOptions = target && typeof target === 'object' && ('uri' in target || 'key' in target || 'title' in target) ? (target as UploadPolicyOptions) : {};
      const documentId = options === target ? undefined : resolveDocumentId(target as DocumentTarget | undefined);
      const uri = options.uri ?? (await pickPolicyFile());
      if (!uri) return undefined;
      const format = policyFormatOf(uri);
      if (!format) throw new Error(`${uri.path.split('/').pop()} is not a policy Nyx can read: upload a Markdown (.md), text (.txt) or PDF (.pdf) file.`);
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > MAX_POLICY_BYTES) throw new Error(`${uri.path.split('/').pop()} has ${bytes.byteLength} bytes; a policy may have at most ${MAX_POLICY_BYTES} (2 MiB).`);
      const key = options.key ?? (documentId ? store.documents.find((d) => d.id === documentId)?.key : await pickVersionOf(store));
      if (key === null) return undefined;
      const content = format === 'pdf' ? Buffer.from(bytes).toString('base64') : new TextDecoder().decode(bytes);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Nyx: Uploading ${uri.path.split('/').pop()}…` }, () =>
        policiesApi.upload(client, { format, content, ...(key ? { key } : {}), ...(options.title ? { title: options.title } : {}) }),
      );
      await store.reload();
      const what = `"${result.document.title}" version ${result.version.version}`;
      log.info(`Uploaded ${uri.toString()} as ${what} (${result.version.clauseCount} clauses, key ${result.document.key}${result.created ? '' : ', identical to the latest'})`);
      void vscode.window.showInformationMessage(result.created ? `Nyx: ${what} uploaded, ${result.version.clauseCount} clauses.` : `Nyx: ${what} already has exactly this content; nothing new was stored.`);
      return result;
    }),
    registerCommand('nyx.installStarterPolicies', log, async (): Promise<StarterInstallResult> => {
      const client = connection.requireClient();
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Nyx: Installing the starter policies…' }, () => policiesApi.installStarter(client));
      await store.reload();
      const fresh = result.items.filter((item) => item.created).length;
      void vscode.window.showInformationMessage(
        `Nyx: ${result.items.length} starter policies ${fresh === result.items.length ? 'installed' : `checked (${fresh} new or updated)`}: ${result.items.map((item) => item.title).join(', ')}. Edit them by uploading a new version.`,
      );
      return result;
    }),
    registerCommand('nyx.deletePolicy', log, async (target?: DocumentTarget, options?: { confirmed?: boolean }): Promise<boolean> => {
      const documentId = resolveDocumentId(target) ?? (await pickDocument(store, 'Delete Policy'));
      if (!documentId) return false;
      const title = store.documents.find((d) => d.id === documentId)?.title ?? 'this policy';
      if (!options?.confirmed) {
        const choice = await vscode.window.showWarningMessage(`Delete "${title}" and all its versions?`, { modal: true, detail: 'It is deleted for everyone on the team; compliance reviews no longer check it.' }, 'Delete');
        if (choice !== 'Delete') return false;
      }
      await policiesApi.remove(connection.requireClient(), documentId);
      await store.reload();
      return true;
    }),
    registerCommand('nyx.refreshPolicies', log, () => store.reload()),
  );
}

async function pickPolicyFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title: 'Nyx: Upload Policy', canSelectMany: false, openLabel: 'Upload', filters: { Policies: ['md', 'markdown', 'txt', 'pdf'] } });
  return picked?.[0];
}

/** A new document, or a new version of one the team has: undefined = new, null = cancelled. */
async function pickVersionOf(store: PoliciesStore): Promise<string | undefined | null> {
  if (store.documents.length === 0) return undefined;
  const items: (vscode.QuickPickItem & { key: string | undefined })[] = [
    { label: '$(add) A new policy', description: 'its key comes from its title', key: undefined },
    ...store.documents.map((d) => ({ label: `$(versions) New version of ${d.title}`, description: `${d.key} · now v${d.latestVersion}`, key: d.key })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Nyx: Upload Policy', placeHolder: 'Is this a new policy or a new version of one the team has?' });
  return picked ? picked.key : null;
}

export async function pickDocument(store: PoliciesStore, action: string): Promise<string | undefined> {
  await store.reload();
  const picked = await vscode.window.showQuickPick(
    store.documents.map((d) => ({ label: d.title, description: `${d.key} · v${d.latestVersion} · ${d.clauseCount} clauses`, id: d.id })),
    { title: `Nyx: ${action}`, placeHolder: store.documents.length ? 'Which policy?' : 'The team has no policies yet' },
  );
  return picked?.id;
}
