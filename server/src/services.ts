// What the running server hands its features: configuration, the database, the log and the shared
// machinery. It lives apart from the composition root (app.ts, main.ts, features.ts) so that
// features depend on it while it depends on none of them beyond the types of the shared parts.
import type { NyxConfig } from './config.ts';
import type { Orm } from './db/orm.ts';
import type { Logger } from './logger.ts';
import type { SecretBox } from './modules/ai/engine/secret-box.ts';
import type { RunRuntime } from './modules/runs/engine/runtime.ts';
import type { PdfRenderer } from './modules/reports/pdf-renderer.ts';

export type { MountDeps } from './http/mount.ts';

export interface AppServices {
  config: NyxConfig;
  orm: Orm;
  log: Logger;
  version: string;
  embedded: boolean;
  startedAt: number;
  /** Encrypts provider keys at rest (NYX_SECRET_KEY or $NYX_HOME/secret.key). */
  secretBox: SecretBox;
  /** Runs and live events; the composition root registers the run kinds the features declare. */
  runs: RunRuntime;
  /** The warm Chromium behind PDF exports (lazily started, closed on shutdown). */
  pdf: PdfRenderer;
}
