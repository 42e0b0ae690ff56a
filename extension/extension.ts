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
import { registerCancelRunCommand } from './runs/cancel-run.command.ts';
import { registerOpenRunCommand } from './runs/open-run.command.ts';
import { RunDashboards } from './runs/run-dashboards.ts';
import { RunsStore } from './runs/runs-store.ts';
import { RunsTree } from './runs/runs-tree.ts';
import { registerStartSelftestCommand } from './runs/start-selftest.command.ts';
import { TrackedRuns } from './runs/tracked-runs.ts';
import { startInHostTestsIfRequested } from './test-hook.ts';
import { Team } from './personas/team.ts';
import { registerGenerateDigestCommand } from './digests/generate-digest.command.ts';
import { MemoryFeature } from './memory/memory-feature.ts';
import { NotesFeature } from './notes/notes-feature.ts';
import { ReportsFeature } from './reports/reports-feature.ts';
import { AutofixFeature } from './autofix/autofix-feature.ts';

/** What activate() returns: the extension's services, for the in-host tests (and other extensions). */
export interface NyxExtensionApi {
  connection: Connection;
  projects: ProjectsStore;
  selection: ProjectSelection;
  runs: RunsStore;
  dashboards: RunDashboards;
  statusBar: ConnectionStatusBar;
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
  /** The runs followed with a notification; replaced by reloadTrackedRuns(). */
  readonly trackedRuns: TrackedRuns;
  /** What a window reload does to followed runs: drop them, then resume from workspaceState. */
  reloadTrackedRuns(): Promise<TrackedRuns>;
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
  const selection = own(new ProjectSelection(context.workspaceState));
  const projects = own(new ProjectsStore(connection, log));
  const runs = own(new RunsStore(connection, log));
  const dashboards = own(new RunDashboards({ connection, store: runs, extensionUri: context.extensionUri, log }));
  let trackedRuns = new TrackedRuns(connection, runs, context.workspaceState, log);
  own({ dispose: () => trackedRuns.dispose() });
  const resumeTrackedRuns = () => trackedRuns.resume().catch((error: unknown) => log.warn(`Could not resume runs: ${String(error)}`));

  const api: NyxExtensionApi = {
    connection,
    projects,
    selection,
    runs,
    dashboards,
    statusBar: own(new ConnectionStatusBar(connection, runs, selection)),
    projectsTree: own(new ProjectsTree(projects, selection)),
    runsTree: own(new RunsTree(runs, selection)),
    team: own(new Team({ connection, selection, runs, trackedRuns: () => trackedRuns, extensionUri: context.extensionUri, log })),
    analysis: own(new AnalysisFeature({ connection, selection, runs, trackedRuns: () => trackedRuns, log, extensionUri: context.extensionUri })),
    reports: own(new ReportsFeature({ connection, selection, runs, extensionUri: context.extensionUri, log })),
    notes: own(new NotesFeature({ connection, selection, runs, trackedRuns: () => trackedRuns, log })),
    memory: own(new MemoryFeature(connection, selection, log)),
    get trackedRuns() {
      return trackedRuns;
    },
    get autofix() {
      return autofix;
    },
    async reloadTrackedRuns() {
      trackedRuns.dispose();
      trackedRuns = new TrackedRuns(connection, runs, context.workspaceState, log);
      await resumeTrackedRuns();
      return trackedRuns;
    },
  };
  const autofix = own(new AutofixFeature({ connection, runs, findings: api.analysis.findings, personas: api.team.personas, pickPersonas: api.team.pickPersonas, workspaceState: context.workspaceState, log }));

  own(registerShowLogCommand(log));
  own(registerSignInCommand(connection, log));
  own(registerSignOutCommand(connection, log));
  own(registerShowActionsCommand(connection, log));
  own(registerRefreshCommand(connection, projects, runs, log));
  own(registerSelectProjectCommand(projects, selection, log));
  own(registerCreateProjectCommand(projects, selection, log));
  own(registerStartSelftestCommand(connection, selection, runs, () => trackedRuns, log));
  own(registerCancelRunCommand(connection, runs, log));
  own(registerOpenRunCommand(runs, dashboards, log));
  own(registerConfigureProviderCommand(connection, log));
  own(registerImportFromGithubCommand(connection, selection, projects, runs, () => trackedRuns, log));
  own(registerSyncFromGithubCommand(connection, selection, runs, () => trackedRuns, log));
  own(registerGenerateDigestCommand({ connection, selection, runs, trackedRuns: () => trackedRuns, reports: api.reports.store, viewers: api.reports.viewers, log }));

  // Runs started before a window reload are followed again as soon as the server answers.
  own(connection.onDidChange((state) => state.kind === 'connected' && void resumeTrackedRuns()));
  own(onDidChangeNyxConfig(() => void connection.connect()));
  void connection.connect();

  startInHostTestsIfRequested(log);
  return api;
}

export function deactivate(): void {}
