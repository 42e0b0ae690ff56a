import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { AppError, ValidationError } from '#server/errors.ts';
import type { GithubSyncStart } from '#protocol/github.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { GithubCredential } from './github-credential.entity.ts';
import { GithubSync, type IGithubSync } from './github-sync.entity.ts';
import { GITHUB_SYNC_RUN_KIND } from './sync-run.ts';

type Services = Pick<AppServices, 'orm' | 'runs' | 'log' | 'config'>;

/** Checks what can be checked without GitHub (link, token), then starts the run with the project's link as input. */
export async function startGithubSync(services: Services, auth: Authenticated, projectId: string, body: z.output<typeof GithubSyncStart>): Promise<RunCreated> {
  const project = await requireProject(services.orm, auth, projectId);
  if (!project.githubOwner || !project.githubRepo) {
    throw new ValidationError('github: this project has no GitHub repository; set github { owner, repo, branch? } with PATCH /api/v1/projects/:id', 'github');
  }
  const hasToken = await withTenant(services.orm, auth, (em) => em.count(GithubCredential, {}));
  if (!hasToken) throw new AppError(409, 'github_token_missing', 'No GitHub token is stored for this team: PUT /api/v1/github/token first.', { field: 'token' });
  const input = {
    owner: project.githubOwner,
    repo: project.githubRepo,
    branch: project.githubBranch ?? null,
    scanPath: project.scanPath,
    ...(body.nonce ? { nonce: body.nonce } : {}),
  };
  return startProjectRun(services, auth, projectId, GITHUB_SYNC_RUN_KIND, input);
}

function toSyncRecord(row: IGithubSync) {
  return {
    id: row.id,
    runId: row.runId,
    previousSyncId: row.previousSyncId ?? null,
    owner: row.owner,
    repo: row.repo,
    branch: row.branch,
    scanPath: `/${row.scanPath}`,
    commitSha: row.commitSha,
    snapshotId: row.snapshotId,
    files: row.files,
    fetched: row.fetched,
    reused: row.reused,
    skipped: row.skipped,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listGithubSyncs(services: Services, auth: Authenticated, projectId: string) {
  await requireProject(services.orm, auth, projectId);
  const rows = await withTenant(services.orm, auth, (em) => em.find(GithubSync, { projectId }, { orderBy: { createdAt: 'desc' }, limit: 100 }));
  return { items: rows.map(toSyncRecord) };
}
