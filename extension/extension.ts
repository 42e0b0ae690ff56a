// Extension entry point (bundled by scripts/build.js to dist/extension.cjs).
// Minimal on purpose: one command and the log channel, enough for the extension test harness
// (test/extension/) to prove a real VS Code loads, activates and drives it. Features hang off here.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Nyx');
  context.subscriptions.push(log);
  log.appendLine(`Nyx ${String(context.extension.packageJSON.version)} activated`);

  context.subscriptions.push(
    vscode.commands.registerCommand('nyx.showLog', () => log.show(true)),
  );

  startInHostTestsIfRequested(log);
}

export function deactivate(): void {}

/**
 * The offline test runner (test/extension/run.ts) cannot pass --extensionTestsPath to code-server,
 * so it names the compiled suite bundle and the results file in the environment, which code-server
 * hands on to the extension host. Not awaited: activation must finish for the suites to see the
 * extension as active. The bundle lives in dist/test/, which the VSIX never ships.
 */
function startInHostTestsIfRequested(log: vscode.OutputChannel): void {
  const suiteBundle = process.env.NYX_TEST_SUITES;
  const resultsFile = process.env.NYX_TEST_RESULTS;
  if (!suiteBundle || !resultsFile) return;
  log.appendLine(`Running extension tests from ${suiteBundle}`);
  let suites: { run(options: { resultsFile: string }): Promise<void> };
  try {
    // A plain require so that esbuild leaves it alone and the host's module loader resolves 'vscode'.
    suites = require(suiteBundle);
  } catch (error) {
    // Tell the runner now instead of letting it wait for its timeout.
    writeFileSync(resultsFile, JSON.stringify({ loadError: String(error), tests: [] }));
    return;
  }
  suites.run({ resultsFile }).catch((error: unknown) => log.appendLine(`Extension tests: ${String(error)}`));
}
