import * as vscode from 'vscode';
import type { SourceRange } from '#protocol/findings.ts';
import { FINDING_DETAILS_VIEW_TYPE } from '#protocol/webview.ts';
import type { FindingDetailsHostMethods, FindingDetailsPersisted, FindingDetailsState, FindingDetailsViewMethods } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { PanelView } from '../webview/panel-view.ts';
import type { WebviewHost } from '../webview/webview-host.ts';
import { WebviewPanels } from '../webview/webview-panels.ts';
import { toVscodeRange } from './finding-locations.ts';
import type { FindingsStore } from './findings-store.ts';

export interface FindingDetailsDeps {
  connection: Connection;
  store: FindingsStore;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

const EMPTY: FindingDetailsState = { finding: null, rule: null, history: [], canOpenLocations: false, error: null };

/**
 * One finding in a webview panel (webviews/finding-details): severity, rule, CWE and OWASP, the
 * message and place, the fix, the data-flow path with a link per step, why it matters, the
 * vulnerable and fixed examples, references, and the triage history with Triage and Undo. It
 * follows the findings store, so a teammate's triage shows up while it is open.
 */
export class FindingDetailsPanel extends Disposable {
  readonly findingId: string;
  private readonly view: PanelView<FindingDetailsState, FindingDetailsHostMethods, FindingDetailsViewMethods>;
  private readonly deps: FindingDetailsDeps;
  private loading: Promise<void> = Promise.resolve();

  constructor(panel: vscode.WebviewPanel, findingId: string, deps: FindingDetailsDeps, restored?: FindingDetailsState) {
    super();
    this.findingId = findingId;
    this.deps = deps;
    this.view = this.register(
      new PanelView<FindingDetailsState, FindingDetailsHostMethods, FindingDetailsViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'finding-details',
        log: deps.log,
        titleOf: (state) => (state.finding ? `Finding: ${state.rule?.title ?? state.finding.ruleId}` : 'Finding'),
        handlers: {
          openLocation: ({ path, range }) => this.openLocation(path, range),
          triage: async () => Boolean(await vscode.commands.executeCommand('nyx.triageFinding', findingId)),
          undoTriage: async () => Boolean(await vscode.commands.executeCommand('nyx.undoTriage', findingId)),
        },
      }),
    );
    this.register(deps.store.onDidChange(() => void this.reload()));
    this.view.show(restored ?? EMPTY);
    void this.reload();
  }

  get host(): WebviewHost<FindingDetailsState, FindingDetailsHostMethods, FindingDetailsViewMethods> {
    return this.view.host;
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  /** Settles once the server's current finding and history are shown. */
  get loaded(): Promise<void> {
    return this.loading;
  }

  /** Fetches the finding (any status) and its triage history again, and shows them. */
  reload(): Promise<void> {
    this.loading = this.load();
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      const client = this.deps.connection.requireClient();
      const [finding, history] = await Promise.all([client.getFinding(this.findingId), client.triageHistory(this.findingId)]);
      const canOpenLocations = this.deps.store.watched().some((entry) => entry.project.id === finding.projectId);
      this.view.show({ finding, rule: this.deps.store.rule(finding.ruleId) ?? null, history: history.items, canOpenLocations, error: null });
    } catch (error) {
      this.deps.log.warn(`Finding ${this.findingId}: ${errorMessage(error)}`);
      this.view.show({ ...(this.view.state ?? EMPTY), error: `Could not load the finding: ${errorMessage(error)}` });
    }
  }

  private async openLocation(path: string, range: SourceRange): Promise<boolean> {
    const finding = this.view.state?.finding;
    const watched = finding && this.deps.store.watched().find((entry) => entry.project.id === finding.projectId);
    if (!watched) return false;
    const uri = vscode.Uri.joinPath(watched.folder.uri, path);
    await vscode.window.showTextDocument(uri, { selection: toVscodeRange(range), viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    return true;
  }
}

/** The open details panels, one per finding, restored after a window reload. */
export class FindingDetailsPanels extends WebviewPanels<FindingDetailsPanel, FindingDetailsPersisted> {
  constructor(deps: FindingDetailsDeps) {
    super({
      viewType: FINDING_DETAILS_VIEW_TYPE,
      title: 'Finding',
      panelOptions: { enableFindWidget: true },
      idOf: (persisted) => persisted.findingId,
      create: (panel, findingId, persisted) => new FindingDetailsPanel(panel, findingId, deps, persisted?.state),
      onReveal: (panel) => void panel.reload(),
    });
  }
}
