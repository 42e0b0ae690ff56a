import { readFile } from 'node:fs/promises';

/** What nyx-server writes to $NYX_HOME/credentials.json on the embedded database's first start. */
export interface LocalCredentials {
  serverUrl: string;
  token: string;
  tenantId: string;
  userId: string;
}

/**
 * The local server's token, if its credentials file exists and names the same server as the
 * `nyx.serverUrl` setting (a file for another port or host is somebody else's server).
 */
export async function readLocalCredentials(file: string, serverUrl: string): Promise<LocalCredentials | undefined> {
  let parsed: Partial<LocalCredentials>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalCredentials>;
  } catch {
    return undefined;
  }
  if (typeof parsed.token !== 'string' || typeof parsed.serverUrl !== 'string') return undefined;
  if (!sameServer(parsed.serverUrl, serverUrl)) return undefined;
  return parsed as LocalCredentials;
}

export function sameServer(a: string, b: string): boolean {
  try {
    const left = new URL(a);
    const right = new URL(b);
    return left.origin === right.origin && left.pathname.replace(/\/+$/, '') === right.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}
