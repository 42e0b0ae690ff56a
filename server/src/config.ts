import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Every environment variable Nyx reads is declared here, and only here. */
const EnvSchema = z.object({
  NYX_PORT: z.coerce.number().int().min(0).max(65535).default(7420),
  NYX_HOST: z.string().min(1).default('127.0.0.1'),
  NYX_HOME: z.string().min(1).optional(),
  DATABASE_URL: z.string().url().optional(),
  NYX_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  NYX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NYX_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'use a size like 1mb or 512kb').default('1mb'),
  NYX_PUBLIC_URL: z.string().url().optional(),
  NYX_SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)').optional(),
  NYX_RUN_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(2),
  NYX_RUN_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  NYX_RUN_STUCK_MS: z.coerce.number().int().min(1000).default(10 * 60_000),
  NYX_RUN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  NYX_SSE_KEEPALIVE_MS: z.coerce.number().int().min(100).default(15_000),
  NYX_EVENT_SAFETY_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  NYX_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(10 * 60_000).default(5_000),
  NYX_CHROMIUM_PATH: z.string().optional(),
  NYX_MAX_BLOB_SIZE: z.string().regex(/^\d+(kb|mb)$/i, 'use a size like 1mb or 512kb').default('1mb'),
  NYX_SNAPSHOT_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'use a size like 32mb').default('32mb'),
  NYX_GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  NYX_AUTH_FAILURE_BURST: z.coerce.number().int().min(1).max(100_000).default(60),
  NYX_AUTH_FAILURE_PER_MINUTE: z.coerce.number().min(0.1).max(1_000_000).default(60),
  NYX_TOKEN_RATE_LIMIT: z.coerce.number().min(0).max(1_000_000).default(1000),
  NYX_SECURITY_EVENTS_MAX: z.coerce.number().int().min(100).default(100_000),
  NYX_EMBED_INLINE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  NYX_EMBED_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
  NYX_METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
});

export interface NyxConfig {
  port: number;
  host: string;
  home: string;
  /** null means: run the embedded PGlite database under `<home>/db`. */
  databaseUrl: string | null;
  dbPoolSize: number;
  logLevel: string;
  bodyLimitBytes: number;
  publicUrl: string | null;
  secretKeyHex: string | null;
  runConcurrency: number;
  runLeaseMs: number;
  runStuckMs: number;
  /** Claims of a run whose server died before it gives up and fails it. */
  runMaxAttempts: number;
  /** Interval of the `: keep-alive` comment on event streams. */
  sseKeepAliveMs: number;
  /** Watched runs are re-read this often even without a notification. */
  eventSafetyPollMs: number;
  /** How long a verified token is trusted without asking the database (revocations cut it short). */
  authCacheMs: number;
  chromiumPath: string | null;
  /** Largest file a snapshot may hold (uploads and GitHub syncs); larger files are refused or skipped. */
  maxBlobBytes: number;
  /** Body limit of the snapshot and blob upload routes (a manifest of many files is larger than a normal request). */
  snapshotBodyLimitBytes: number;
  /** GitHub REST API base URL; a tenant's stored GitHub credential may override it (GitHub Enterprise). */
  githubApiUrl: string;
  /** Failed authentications one client address may make at once before 429s start. */
  authFailureBurst: number;
  /** How fast that allowance comes back. */
  authFailurePerMinute: number;
  /** Requests per second one API token may make (bursts of twice that); 0 turns the limit off. */
  tokenRateLimit: number;
  /** security_events keeps at most this many rows; the oldest are pruned. */
  securityEventsMax: number;
  /** How long saving a note or memory entry waits for its vector before leaving it to the background. */
  embedInlineMs: number;
  /** How often the background embedder looks for rows still missing a vector. */
  embedSweepMs: number;
  /** When set, GET /metrics also answers non-loopback clients that send it as a bearer token. */
  metricsToken: string | null;
}

export class ConfigError extends Error {}

function parseSize(size: string): number {
  const match = /^(\d+)(kb|mb)$/i.exec(size)!;
  return Number(match[1]) * (match[2].toLowerCase() === 'mb' ? 1024 * 1024 : 1024);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<NyxConfig> = {}): NyxConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.NYX_PORT,
    host: e.NYX_HOST,
    home: resolve(e.NYX_HOME ?? join(homedir(), '.nyx')),
    databaseUrl: e.DATABASE_URL ?? null,
    dbPoolSize: e.NYX_DB_POOL_SIZE,
    logLevel: e.NYX_LOG_LEVEL,
    bodyLimitBytes: parseSize(e.NYX_BODY_LIMIT),
    publicUrl: e.NYX_PUBLIC_URL ?? null,
    secretKeyHex: e.NYX_SECRET_KEY ?? null,
    runConcurrency: e.NYX_RUN_CONCURRENCY,
    runLeaseMs: e.NYX_RUN_LEASE_MS,
    runStuckMs: e.NYX_RUN_STUCK_MS,
    runMaxAttempts: e.NYX_RUN_MAX_ATTEMPTS,
    sseKeepAliveMs: e.NYX_SSE_KEEPALIVE_MS,
    eventSafetyPollMs: e.NYX_EVENT_SAFETY_POLL_MS,
    authCacheMs: e.NYX_AUTH_CACHE_MS,
    chromiumPath: e.NYX_CHROMIUM_PATH ?? null,
    maxBlobBytes: parseSize(e.NYX_MAX_BLOB_SIZE),
    snapshotBodyLimitBytes: parseSize(e.NYX_SNAPSHOT_BODY_LIMIT),
    githubApiUrl: e.NYX_GITHUB_API_URL.replace(/\/+$/, ''),
    authFailureBurst: e.NYX_AUTH_FAILURE_BURST,
    authFailurePerMinute: e.NYX_AUTH_FAILURE_PER_MINUTE,
    tokenRateLimit: e.NYX_TOKEN_RATE_LIMIT,
    securityEventsMax: e.NYX_SECURITY_EVENTS_MAX,
    embedInlineMs: e.NYX_EMBED_INLINE_MS,
    embedSweepMs: e.NYX_EMBED_SWEEP_MS,
    metricsToken: e.NYX_METRICS_TOKEN ?? null,
    ...overrides,
  };
}
