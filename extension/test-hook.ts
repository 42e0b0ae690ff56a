import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

/**
 * The offline test runner (test/extension/run.ts) cannot pass --extensionTestsPath to code-server,
 * so it names the compiled suite bundle and the results file in the environment, which code-server
 * hands on to the extension host. Not awaited: activation must finish for the suites to see the
 * extension as active. The bundle lives in dist/test/, which the VSIX never ships.
 */
export function startInHostTestsIfRequested(log: vscode.LogOutputChannel): void {
  const suiteBundle = process.env.NYX_TEST_SUITES;
  const resultsFile = process.env.NYX_TEST_RESULTS;
  if (!suiteBundle || !resultsFile) return;
  // UI suites may open a second window (another extension host with the same environment): the
  // suites ran once already when their results exist.
  if (existsSync(resultsFile)) return;
  log.info(`Running extension tests from ${suiteBundle}`);
  let suites: { run(options: { resultsFile: string }): Promise<void> };
  try {
    // A plain require so that esbuild leaves it alone and the host's module loader resolves 'vscode'.
    suites = require(suiteBundle);
  } catch (error) {
    // Tell the runner now instead of letting it wait for its timeout.
    writeFileSync(resultsFile, JSON.stringify({ loadError: String(error), tests: [] }));
    return;
  }
  // Workspace trust is on in the test editor as for users: the runner trusts the fixture folder
  // through the startup dialog, which may come after activation. The suites start once it did.
  const trusted = vscode.workspace.isTrusted ? Promise.resolve() : new Promise<void>((resolve) => vscode.workspace.onDidGrantWorkspaceTrust(() => resolve()));
  if (!vscode.workspace.isTrusted) log.info('Extension tests wait for the workspace to be trusted');
  void trusted.then(() => suites.run({ resultsFile })).catch((error: unknown) => log.error(`Extension tests: ${String(error)}`));
}
