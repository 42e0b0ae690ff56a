// The path for machines that have VS Code desktop (VSCODE_EXECUTABLE_PATH) or may download it
// (NYX_TEST_EDITOR=electron): @vscode/test-electron loads the same suite bundle as extensionTestsPath.
// Playwright UI suites need the web workbench and run only on the code-server path.
import { existsSync, mkdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { readResults } from './read-results.ts';
import type { TestResult } from './results.ts';

export interface ElectronOptions {
  repoRoot: string;
  workspace: string;
  workDir: string;
  suiteBundle: string;
  resultsFile: string;
}

export async function runOnTestElectron(options: ElectronOptions): Promise<TestResult[]> {
  // Workspace trust stays on, as users have it; nobody clicks the trust dialog here, so the fixture
  // folder is trusted the way VS Code stores a user's choice before the editor starts.
  seedTrustedFolder(path.join(options.workDir, 'user-data'), options.workspace);
  let exitError: unknown;
  try {
    await runTests({
      // Undefined means test-electron downloads VS Code from Microsoft.
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
      extensionDevelopmentPath: options.repoRoot,
      extensionTestsPath: options.suiteBundle,
      extensionTestsEnv: { NYX_TEST_RESULTS: options.resultsFile },
      launchArgs: [
        options.workspace,
        '--disable-extensions',
        `--user-data-dir=${path.join(options.workDir, 'user-data')}`,
        `--extensions-dir=${path.join(options.workDir, 'extensions')}`,
      ],
    });
  } catch (error) {
    // A failing test also ends VS Code with a non-zero code; the results file tells which.
    exitError = error;
  }
  if (!existsSync(options.resultsFile)) {
    throw new Error(`VS Code ended without writing results (${String(exitError)})`);
  }
  return readResults(options.resultsFile, options.suiteBundle);
}

/**
 * VS Code desktop keeps the folders a user trusted in its application storage: the `ItemTable` of
 * `<user-data>/User/globalStorage/state.vscdb` (SQLite), key `content.trust.model.key`, a JSON
 * `{ uriTrustInfo: [{ uri, trusted }] }` whose `uri` is a serialized URI. Writing the fixture
 * folder there is what clicking "Yes, I trust the authors" once would have stored.
 */
function seedTrustedFolder(userDataDir: string, folder: string): void {
  const dir = path.join(userDataDir, 'User', 'globalStorage');
  mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(path.join(dir, 'state.vscdb'));
  try {
    db.exec('CREATE TABLE IF NOT EXISTS ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    const url = pathToFileURL(path.resolve(folder));
    const uri = { $mid: 1, scheme: 'file', authority: '', path: decodeURIComponent(url.pathname), external: url.href, fsPath: path.resolve(folder) };
    db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)').run('content.trust.model.key', JSON.stringify({ uriTrustInfo: [{ uri, trusted: true }] }));
  } finally {
    db.close();
  }
}
