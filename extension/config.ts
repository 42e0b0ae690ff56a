import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * The extension's settings, declared in package.json `contributes.configuration`. Read on use,
 * never cached: a changed setting takes effect without a reload (see onDidChangeNyxConfig).
 */
export interface NyxConfig {
  /** Base URL of the Nyx server, without a trailing slash. */
  serverUrl: string;
  /** The local embedded server's credentials.json (NYX_HOME/credentials.json). */
  credentialsFile: string;
}

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:7420';

export function readConfig(): NyxConfig {
  const section = vscode.workspace.getConfiguration('nyx');
  const serverUrl = (section.get<string>('serverUrl') || DEFAULT_SERVER_URL).trim().replace(/\/+$/, '');
  const configuredFile = section.get<string>('credentialsFile')?.trim();
  return { serverUrl, credentialsFile: configuredFile ? expandHome(configuredFile) : defaultCredentialsFile() };
}

/** Where nyx-server keeps its credentials by default: $NYX_HOME, else ~/.nyx. */
function defaultCredentialsFile(): string {
  const home = process.env.NYX_HOME || path.join(os.homedir(), '.nyx');
  return path.join(home, 'credentials.json');
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

export function onDidChangeNyxConfig(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('nyx.serverUrl') || event.affectsConfiguration('nyx.credentialsFile')) listener();
  });
}
