// The server's secret key, which encrypts every stored provider key: NYX_SECRET_KEY when set,
// else $NYX_HOME/secret.key (created 0600 on first start). Never logged.
import { join } from 'node:path';
import type { NyxConfig } from '#server/config.ts';
import { loadOrCreateSecretKey, parseSecretKey, SecretBox } from '#server/modules/ai/engine/secret-box.ts';

export function secretKeyPath(config: Pick<NyxConfig, 'home'>): string {
  return join(config.home, 'secret.key');
}

export async function loadServerSecretBox(config: Pick<NyxConfig, 'home' | 'secretKeyHex'>): Promise<SecretBox> {
  const key = config.secretKeyHex ? parseSecretKey(config.secretKeyHex) : await loadOrCreateSecretKey(secretKeyPath(config));
  return new SecretBox(key);
}
