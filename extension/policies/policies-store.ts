import * as vscode from 'vscode';
import type { PolicyDocument, PolicyDocumentSummary } from '#protocol/policies.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { policiesApi } from './policies-api.ts';

/**
 * The tenant's policy documents as the server last answered (policies belong to the tenant, not
 * to a project). Reloaded on every connection change and after anything this window changes;
 * a document's versions and latest clauses are fetched when the view unfolds it and kept until
 * the next reload.
 */
export class PoliciesStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private loaded: PolicyDocumentSummary[] = [];
  private readonly details = new Map<string, Promise<PolicyDocument>>();
  private loading: Promise<void> | undefined;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(connection.onDidChange(() => void this.reload()));
    void this.reload();
  }

  /** Newest first, as the server lists them. */
  get documents(): PolicyDocumentSummary[] {
    return this.loaded;
  }

  byKey(key: string): PolicyDocumentSummary | undefined {
    return this.loaded.find((document) => document.key === key);
  }

  /** A document with its versions and latest clauses (cached until the next reload). */
  document(documentId: string): Promise<PolicyDocument> {
    let detail = this.details.get(documentId);
    if (!detail) {
      detail = policiesApi.get(this.connection.requireClient(), documentId);
      detail.catch(() => this.details.delete(documentId));
      this.details.set(documentId, detail);
    }
    return detail;
  }

  /** Reads the list again; resolves when the view shows the server's answer. */
  async reload(): Promise<void> {
    const load = async () => {
      const client = this.connection.state.kind === 'connected' ? this.connection.state.client : undefined;
      const documents = client ? await policiesApi.list(client) : [];
      if (this.isDisposed) return;
      this.details.clear();
      this.loaded = documents;
      void vscode.commands.executeCommand('setContext', 'nyx.hasPolicies', documents.length > 0);
      this.changed.fire();
    };
    const next = (this.loading ?? Promise.resolve()).then(load).catch((error: unknown) => this.log.warn(`Could not load the policies: ${errorMessage(error)}`));
    this.loading = next;
    await next;
    if (this.loading === next) this.loading = undefined;
  }
}
