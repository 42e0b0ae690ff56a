import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { RunCreated } from './runs.ts';

/**
 * GitHub import and sync (docs/analysis.md, "GitHub"). A project links a repository (`github` on
 * the project: owner, repo, optional branch) and a scan path; a sync is a run of kind
 * `github-sync` that fetches the tree, downloads only blobs whose git sha is new, and writes a
 * snapshot. The token is per tenant and stored encrypted.
 */

export const GithubTokenPut = z.strictObject({
  /** A personal access token or app installation token with read access to the repositories. Never returned. */
  token: z.string().trim().min(1).max(512).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  /** GitHub Enterprise API URL (https://ghe.example.com/api/v3); null or absent: the server's default. */
  baseUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
});
export type GithubTokenPut = z.input<typeof GithubTokenPut>;

export const GithubTokenInfo = z.object({
  configured: z.boolean(),
  /** Last characters of the token, for recognising it. */
  tokenHint: z.string().nullable(),
  /** The API base URL syncs use. */
  baseUrl: z.string(),
  updatedBy: z.uuid().nullable(),
  updatedAt: z.string().nullable(),
});
export type GithubTokenInfo = z.infer<typeof GithubTokenInfo>;

export const GithubSyncStart = z.strictObject({
  /** Distinguishes otherwise equal requests, to sync again within the 3-minute dedup window. */
  nonce: z.string().max(100).optional(),
});
export type GithubSyncStart = z.input<typeof GithubSyncStart>;

/** Input of the `github-sync` run kind: the project's link as it was when the sync was asked for. */
export const GithubSyncInput = z.strictObject({
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  /** null: the repository's default branch. */
  branch: z.string().min(1).max(255).nullable(),
  /** '' is the repository root. */
  scanPath: z.string().max(500),
  nonce: z.string().max(100).optional(),
});
export type GithubSyncInput = z.infer<typeof GithubSyncInput>;

/** A sync's run result and its row in the sync history. */
export const GithubSyncResult = z.object({
  snapshotId: z.uuid(),
  commitSha: z.string(),
  branch: z.string(),
  /** Always starts with '/'; '/' is the repository root. */
  scanPath: z.string(),
  files: z.number().int(),
  /** Blobs downloaded this time (their git sha was new). */
  fetched: z.number().int(),
  /** Files whose blob was known from an earlier sync. */
  reused: z.number().int(),
  /** Binary, too large or unusable paths, left out of the snapshot. */
  skipped: z.number().int(),
  /** The analysis started after the sync (project setting `autoAnalyze: true`), if any. */
  analysisRunId: z.uuid().nullable(),
});
export type GithubSyncResult = z.infer<typeof GithubSyncResult>;

export const GithubSyncRecord = GithubSyncResult.omit({ analysisRunId: true }).extend({
  id: z.uuid(),
  runId: z.uuid(),
  previousSyncId: z.uuid().nullable(),
  owner: z.string(),
  repo: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export const GithubSyncList = z.object({ items: z.array(GithubSyncRecord) });

/** Events a sync emits besides progress. */
export const GITHUB_SYNC_EVENT = {
  /** data: { commitSha, branch, files, toFetch }: the tree was read. */
  tree: 'github.tree',
  /** data: { fetched, toFetch }: blobs downloaded so far. */
  blobs: 'github.blobs',
} as const;

export const githubRoutes = {
  getToken: route({ method: 'get', path: '/api/v1/github/token', summary: "Whether the team has a GitHub token (never the token)", auth: true, response: GithubTokenInfo }),
  putToken: route({ role: 'admin', method: 'put', path: '/api/v1/github/token', summary: "Store the team's GitHub token (encrypted) and API base URL", auth: true, body: GithubTokenPut, response: GithubTokenInfo }),
  deleteToken: route({ role: 'admin', method: 'delete', path: '/api/v1/github/token', summary: "Delete the team's GitHub token", auth: true, status: 204 }),
  startSync: route({ method: 'post', path: '/api/v1/projects/:id/github/sync', params: ProjectIdParams, alsoStatus: [200], errors: [409], summary: "Import or sync the project's GitHub repository (a github-sync run)", auth: true, body: GithubSyncStart, response: RunCreated, status: 201 }),
  listSyncs: route({ method: 'get', path: '/api/v1/projects/:id/github/syncs', params: ProjectIdParams, summary: 'Completed syncs of a project, newest first', auth: true, response: GithubSyncList }),
};
