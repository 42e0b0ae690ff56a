// The path for machines that have VS Code desktop (VSCODE_EXECUTABLE_PATH) or may download it
// (NYX_TEST_EDITOR=electron): @vscode/test-electron loads the same suite bundle as extensionTestsPath.
// Playwright UI suites need the web workbench and run only on the code-server path.
import { existsSync } from 'node:fs';
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
        '--disable-workspace-trust',
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
