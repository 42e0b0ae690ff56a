import * as vscode from 'vscode';
import { FINDINGS_CHANGED_EVENT, FindingsChangedData } from '#protocol/analysis.ts';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { RuleInfo } from '#protocol/findings.ts';
import { openTenantEvents } from '../connection/tenant-events.ts';
import type { EventStream } from '#protocol/sse-client.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection, ConnectionState } from '../connection/connection.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import type { ProjectSelection, SelectedProject } from '../projects/project-selection.ts';
import { shiftRange, type TextChange } from './range-shift.ts';
import type { SourceRange } from '#protocol/findings.ts';

/** The server's page size maximum: one request holds every open finding of most projects. */
const PAGE_SIZE = 5000;

/** A workspace folder and the project it works on: findings of the project land on its files. */
export interface WatchedFolder {
  folder: vscode.WorkspaceFolder;
  project: SelectedProject;
}

export type RuleWithDocs = RuleInfo & { docsUrl: string };

/**
 * The open findings of the projects the workspace folders work on, kept current from the tenant
 * stream: a `findings.changed` notice for one of them reloads that project. Notices are live only,
 * so every (re)connection of the stream reloads them all. The rule catalog (docs and links) is
 * loaded once per connection.
 */
export class FindingsStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly byProject = new Map<string, StoredFinding[]>();
  /** Dismissed findings (the Findings view's "Dismissed" group), loaded with the open ones. */
  private readonly dismissedByProject = new Map<string, StoredFinding[]>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly followUps = new Map<string, Promise<void>>();
  private ruleCatalog = new Map<string, RuleWithDocs>();
  private stream: EventStream | undefined;
  private watchedKey = '';
  private readonly connection: Connection;
  private readonly selection: ProjectSelection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, selection: ProjectSelection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.selection = selection;
    this.log = log;
    this.register(connection.onDidChange((state) => this.follow(state)));
    this.register(selection.onDidChange(() => this.onWatchedMaybeChanged()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.onWatchedMaybeChanged()));
    this.register(toDisposable(() => this.stream?.close()));
    this.watchedKey = this.keyOfWatched();
    this.follow(connection.state);
  }

  /** Each workspace folder that has a selected project. */
  watched(): WatchedFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const project = this.selection.current(folder);
      return project ? [{ folder, project }] : [];
    });
  }

  findingsOf(projectId: string): readonly StoredFinding[] {
    return this.byProject.get(projectId) ?? [];
  }

  dismissedOf(projectId: string): readonly StoredFinding[] {
    return this.dismissedByProject.get(projectId) ?? [];
  }

  find(findingId: string): StoredFinding | undefined {
    for (const findings of [...this.byProject.values(), ...this.dismissedByProject.values()]) {
      const found = findings.find((finding) => finding.id === findingId);
      if (found) return found;
    }
    return undefined;
  }

  rule(ruleId: string): RuleWithDocs | undefined {
    return this.ruleCatalog.get(ruleId);
  }

  /** The server's rule catalog (empty until connected). */
  rules(): RuleWithDocs[] {
    return [...this.ruleCatalog.values()];
  }

  /** Takes a finding out at once (after a dismiss); the notice that follows reloads anyway. */
  forget(findingId: string): void {
    for (const [projectId, findings] of this.byProject) {
      const kept = findings.filter((finding) => finding.id !== findingId);
      if (kept.length !== findings.length) {
        this.byProject.set(projectId, kept);
        this.changed.fire();
      }
    }
  }

  /**
   * Moves the markers of a file's findings with edits (live analysis), until the next analysis
   * says where they are. Positions only: what the findings are stays the server's word.
   */
  moveMarkers(projectId: string, path: string, changes: readonly TextChange[]): void {
    const findings = this.byProject.get(projectId);
    if (!findings || changes.length === 0) return;
    let moved = false;
    const next = findings.map((finding) => {
      if (finding.path !== path) return finding;
      const range = shiftRange(finding.range, changes);
      if (sameRange(range, finding.range)) return finding;
      moved = true;
      // A fix's edits are positions in the analyzed text: once the text moved they may be wrong.
      return { ...finding, range, fix: null };
    });
    if (!moved) return;
    this.byProject.set(projectId, next);
    this.changed.fire();
  }

  /**
   * Loads a project's open findings. Calls while a load is in flight share one follow-up load
   * (that load may have been answered before the change that prompted them).
   */
  reload(projectId: string): Promise<void> {
    const inFlight = this.loading.get(projectId);
    if (inFlight) {
      let followUp = this.followUps.get(projectId);
      if (!followUp) {
        followUp = inFlight
          .catch(() => undefined)
          .then(() => {
            this.followUps.delete(projectId);
            return this.reload(projectId);
          });
        this.followUps.set(projectId, followUp);
      }
      return followUp;
    }
    const load = this.load(projectId).finally(() => this.loading.delete(projectId));
    this.loading.set(projectId, load);
    return load;
  }

  async reloadAll(): Promise<void> {
    const ids = new Set(this.watched().map((entry) => entry.project.id));
    for (const projectId of [...this.byProject.keys()]) if (!ids.has(projectId)) this.byProject.delete(projectId);
    for (const projectId of [...this.dismissedByProject.keys()]) if (!ids.has(projectId)) this.dismissedByProject.delete(projectId);
    this.changed.fire();
    await Promise.all([...ids].map((projectId) => this.reload(projectId)));
  }

  private async load(projectId: string): Promise<void> {
    const client = this.connection.requireClient();
    const items: StoredFinding[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await client.listFindings(projectId, { status: 'open', limit: PAGE_SIZE, offset });
      items.push(...page.items);
      if (page.items.length < PAGE_SIZE || items.length >= page.total) break;
    }
    const dismissed = await client.listFindings(projectId, { status: 'dismissed', limit: PAGE_SIZE });
    if (this.connection.state.kind !== 'connected' || this.connection.state.client !== client) return;
    this.byProject.set(projectId, items);
    this.dismissedByProject.set(projectId, dismissed.items);
    this.changed.fire();
  }

  private async loadRules(): Promise<void> {
    const catalog = await this.connection.requireClient().listRules();
    this.ruleCatalog = new Map(catalog.items.map((rule) => [rule.id, rule]));
    this.changed.fire();
  }

  private onWatchedMaybeChanged(): void {
    // The selection also fires on every editor switch; reload only when the set of projects changed.
    const key = this.keyOfWatched();
    if (key === this.watchedKey) return;
    this.watchedKey = key;
    if (this.connection.state.kind === 'connected') void this.reloadAll().catch((error) => this.warn(error));
  }

  private keyOfWatched(): string {
    return this.watched()
      .map((entry) => `${entry.folder.uri.toString()}=${entry.project.id}`)
      .join('|');
  }

  private follow(state: ConnectionState): void {
    this.stream?.close();
    this.stream = undefined;
    if (state.kind !== 'connected') {
      this.byProject.clear();
      this.dismissedByProject.clear();
      this.changed.fire();
      return;
    }
    void this.loadRules().catch((error) => this.warn(error));
    const client = state.client;
    this.stream = openTenantEvents(client, 'Findings', this.log, {
      // Notices sent while the stream was down are gone: reload everything it covers.
      onOpen: () => void this.reloadAll().catch((error) => this.warn(error)),
      onMessage: (message) => {
        if (message.event !== FINDINGS_CHANGED_EVENT) return;
        const parsed = FindingsChangedData.safeParse(JSON.parse(message.data));
        if (!parsed.success) return this.log.warn(`Ignored a ${FINDINGS_CHANGED_EVENT} notice the extension does not understand`);
        const projectId = parsed.data.projectId;
        if (this.watched().some((entry) => entry.project.id === projectId)) {
          this.log.info(`Findings of project ${projectId} changed (${parsed.data.cause}); reloading them`);
          void this.reload(projectId).catch((error) => this.warn(error));
        }
      },
    });
  }

  private warn(error: unknown): void {
    this.log.warn(`Could not load the findings: ${errorMessage(error)}`);
  }
}

function sameRange(a: SourceRange, b: SourceRange): boolean {
  return a.startLine === b.startLine && a.startColumn === b.startColumn && a.endLine === b.endLine && a.endColumn === b.endColumn;
}
