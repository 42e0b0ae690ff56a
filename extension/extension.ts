// Extension entry point (bundled by scripts/build.js to dist/extension.cjs). Builds the services,
// registers every command and view, and connects. Each feature lives in its own folder.
import * as vscode from 'vscode';
import { AnalysisFeature } from './analysis/analysis-feature.ts';
import { onDidChangeNyxConfig } from './config.ts';
import { Connection } from './connection/connection.ts';
import { registerRefreshCommand } from './connection/refresh.command.ts';
import { registerShowActionsCommand } from './connection/show-actions.command.ts';
import { registerSignInCommand } from './connection/sign-in.command.ts';
import { registerSignOutCommand } from './connection/sign-out.command.ts';
import { NyxAuthProvider } from './connection/sso-auth-provider.ts';
import { registerSsoSignInCommand } from './connection/sso-sign-in.command.ts';
import { TeamAdminFeature } from './team/team-admin-feature.ts';
import { ConnectionStatusBar } from './connection/status-bar.ts';
import { registerImportFromGithubCommand } from './github/import-from-github.command.ts';
import { registerSyncFromGithubCommand } from './github/sync-from-github.command.ts';
import { createLog } from './log/log.ts';
import { registerShowLogCommand } from './log/show-log.command.ts';
import { registerCreateProjectCommand } from './projects/create-project.command.ts';
import { ProjectSelection } from './projects/project-selection.ts';
import { ProjectsStore } from './projects/projects-store.ts';
import { ProjectsTree } from './projects/projects-tree.ts';
import { registerSelectProjectCommand } from './projects/select-project.command.ts';
import { registerConfigureProviderCommand } from './providers/configure-provider.command.ts';
import { ProviderStatus } from './providers/provider-status.ts';
import { registerTestProviderCommand } from './providers/test-provider.command.ts';
import { registerCancelRunCommand } from './runs/cancel-run.command.ts';
import { registerOpenRunCommand } from './runs/open-run.command.ts';
import type { RunPanelOpener } from './runs/open-run.command.ts';
import { RunDashboards } from './runs/run-dashboards.ts';
import { RunsStore } from './runs/runs-store.ts';
import { RunsTree } from './runs/runs-tree.ts';
import { registerStartSelftestCommand } from './runs/start-selftest.command.ts';
import { TrackedRuns } from './runs/tracked-runs.ts';
import { startInHostTestsIfRequested } from './test-hook.ts';
import { openWalkthroughOnFirstInstall } from './first-contact/walkthrough.ts';
import { Team } from './personas/team.ts';
import { registerGenerateDigestCommand } from './digests/generate-digest.command.ts';
import { MemoryFeature } from './memory/memory-feature.ts';
import { NotesFeature } from './notes/notes-feature.ts';
import { ReportsFeature } from './reports/reports-feature.ts';
import { AutofixFeature } from './autofix/autofix-feature.ts';
import { PoliciesFeature } from './policies/policies-feature.ts';
import { ChatFeature } from './chat/chat-feature.ts';

/** What activate() returns: the extension's services, for the in-host tests (and other extensions). */
export interface NyxExtensionApi {
  connection: Connection;
  projects: ProjectsStore;
  selection: ProjectSelection;
  runs: RunsStore;
  dashboards: RunDashboards;
  statusBar: ConnectionStatusBar;
  /** Whether the team has an AI provider, and how its last test went. */
  providers: ProviderStatus;
  projectsTree: ProjectsTree;
  runsTree: RunsTree;
  /** Snapshots, analysis runs, findings (diagnostics, Findings view, status bar, quick fixes). */
  analysis: AnalysisFeature;
  /** Personas (the picker: team.pickPersonas), discussions and workflows. */
  team: Team;
  /** The Reports view, the report viewer and downloads. */
  reports: ReportsFeature;
  /** Notes from selections, the Notes view, enrichment. */
  notes: NotesFeature;
  /** Project memory search and "Remember...". */
  memory: MemoryFeature;
  /** Auto-fix and refactor runs: progress, diff preview, safe apply. */
  readonly autofix: AutofixFeature;
  /** The policy library: the Policies view, clause documents, compliance reviews. */
  readonly policies: PoliciesFeature;
  /** @nyx in the Chat view and the Nyx language model tools. */
  readonly chat: ChatFeature;
  /** The runs followed with a notification; replaced by reloadTrackedRuns(). */
  readonly trackedRuns: TrackedRuns;
  /** What a window reload does to followed runs: drop them, then resume from workspaceState. */
  reloadTrackedRuns(): Promise<TrackedRuns>;
  /** The first-start walkthrough, as activate() runs it (tests clear the flag and call it again). */
  openWalkthroughOnFirstInstall(): Promise<boolean>;
  /** Where first-start state is kept. */
  readonly globalState: vscode.Memento;
  /** The "Nyx" authentication provider: single sign-on through the team's identity provider. */
  sso: NyxAuthProvider;
  /** The Team view (members, invitations, audit) and "Nyx: Create Access Token". */
  teamAdmin: TeamAdminFeature;
}

export function activate(context: vscode.ExtensionContext): NyxExtensionApi {
  const log = createLog();
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  own(log);
  log.info(`Nyx ${String(context.extension.packageJSON.version)} activated`);

  const connection = own(new Connection(context.secrets, context.globalState, log));
  const sso = own(new NyxAuthProvider(context.secrets, connection, context.extension.id, log));
  const selection = own(new ProjectSelection(context.workspaceState));
  const projects = own(new ProjectsStore(connection, log));
  const runs = own(new RunsStore(connection, log));
  const dashboards = own(new RunDashboards({ connection, store: runs, extensionUri: context.extensionUri, log }));
  let trackedRuns = new TrackedRuns(connection, runs, context.workspaceState, log);
  own({ dispose: () => trackedRuns.dispose() });
  const providers = own(new ProviderStatus(connection, log));
  const resumeTrackedRuns = () => trackedRuns.resume().catch((error: unknown) => log.warn(`Could not resume runs: ${String(error)}`));

  const api: NyxExtensionApi = {
    connection,
    projects,
    selection,
    runs,
    dashboards,
    providers,
    statusBar: own(new ConnectionStatusBar(connection, runs, selection, providers)),
    projectsTree: own(new ProjectsTree(projects, selection)),
    runsTree: own(new RunsTree(runs, selection)),
    team: own(new Team({ connection, selection, runs, trackedRuns: () => trackedRuns, extensionUri: context.extensionUri, log })),
    analysis: own(new AnalysisFeature({ connection, selection, runs, trackedRuns: () => trackedRuns, log, extensionUri: context.extensionUri })),
    reports: own(new ReportsFeature({ connection, selection, runs, extensionUri: context.extensionUri, log })),
    notes: own(new NotesFeature({ connection, selection, runs, trackedRuns: () => trackedRuns, log })),
    memory: own(new MemoryFeature(connection, selection, log)),
    sso,
    teamAdmin: own(new TeamAdminFeature(connection, log)),
    get trackedRuns() {
      return trackedRuns;
    },
    get autofix() {
      return autofix;
    },
    globalState: context.globalState,
    openWalkthroughOnFirstInstall: () => openWalkthroughOnFirstInstall(context.globalState, log),
    get policies() {
      return policies;
    },
    get chat() {
      return chat;
    },
    async reloadTrackedRuns() {
      trackedRuns.dispose();
      trackedRuns = new TrackedRuns(connection, runs, context.workspaceState, log);
      await resumeTrackedRuns();
      return trackedRuns;
    },
  };
  const autofix = own(new AutofixFeature({ connection, runs, findings: api.analysis.findings, personas: api.team.personas, pickPersonas: api.team.pickPersonas, workspaceState: context.workspaceState, log }));
  const chat = own(
    new ChatFeature({ connection, selection, runs, findings: api.analysis.findings, personas: api.team.personas, pickPersonas: api.team.pickPersonas, extensionUri: context.extensionUri, log }),
  );

  const policies = own(new PoliciesFeature({ connection, selection, runs, trackedRuns: () => trackedRuns, reports: api.reports.store, viewers: api.reports.viewers, log }));

  own(registerShowLogCommand(log));
  own(registerSignInCommand(connection, log));
  own(registerSignOutCommand(connection, sso, log));
  own(registerSsoSignInCommand(sso, log));
  own(registerShowActionsCommand(connection, log));
  own(registerRefreshCommand(connection, projects, runs, log));
  own(registerSelectProjectCommand(projects, selection, log));
  own(registerCreateProjectCommand(projects, selection, log));
  own(registerStartSelftestCommand(connection, selection, runs, () => trackedRuns, log));
  own(registerCancelRunCommand(connection, runs, log));
  own(registerConfigureProviderCommand(connection, providers, log));
  own(registerTestProviderCommand(connection, providers, log));
  // A run opens in the panel of its kind; every other kind in the generic dashboard.
  const runPanels: Record<string, RunPanelOpener> = {
    discussion: (run) => Boolean(api.team.discussions.show(run.id)),
    workflow: (run) => Boolean(api.team.workflowRuns.show(run.id)),
    digest: (run) => {
      const reportId = (run.result as { reportId?: unknown } | null)?.reportId;
      return typeof reportId === 'string' && Boolean(api.reports.viewers.show(reportId));
    },
  };
  own(registerOpenRunCommand(connection, runs, dashboards, (kind) => runPanels[kind], log));
  own(registerImportFromGithubCommand(connection, selection, projects, runs, () => trackedRuns, log));
  own(registerSyncFromGithubCommand(connection, selection, runs, () => trackedRuns, log));
  own(registerGenerateDigestCommand({ connection, selection, runs, trackedRuns: () => trackedRuns, reports: api.reports.store, viewers: api.reports.viewers, log }));

  // Runs started before a window reload are followed again as soon as the server answers.
  own(connection.onDidChange((state) => state.kind === 'connected' && void resumeTrackedRuns()));
  own(onDidChangeNyxConfig(() => void connection.connect()));
  void connection.connect();
  void openWalkthroughOnFirstInstall(context.globalState, log);
  void sso.resume();

  startInHostTestsIfRequested(log);
  return api;
}

export function deactivate(): void {}
