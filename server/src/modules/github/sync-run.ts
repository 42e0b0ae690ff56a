import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import type { RunContext, RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { GITHUB_SYNC_EVENT, GithubSyncInput, type GithubSyncResult } from '#protocol/github.ts';
import { pathProblem, type ManifestEntry } from '#protocol/analysis.ts';
import { insertBlobs, isBinaryContent, sha256Of } from '#server/modules/analysis/blob-store.ts';
import { ANALYSIS_RUN_KIND } from '#server/modules/analysis/analysis-run.ts';
import { createSnapshot } from '#server/modules/analysis/snapshot-service.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import { createRun } from '#server/modules/runs/service.ts';
import { actingForRun } from '#server/modules/tenancy/service.ts';
import { createGithubClient, downloadBlob, GithubSyncError, listFiles, resolveCommit, type TreeEntry } from './github-client.ts';
import { GithubBlob, type IGithubBlob } from './github-blob.entity.ts';
import { GithubSync } from './github-sync.entity.ts';
import { readGithubAccess } from './token-service.ts';

export const GITHUB_SYNC_RUN_KIND = 'github-sync';
/** Blobs downloaded, then written in one transaction, per step (progress is reported after each). */
const FETCH_BATCH = 20;

type SyncServices = Pick<AppServices, 'orm' | 'secretBox' | 'config' | 'runs'>;

async function knownBlobs(em: EntityManager, gitShas: string[]): Promise<Map<string, IGithubBlob>> {
  const known = new Map<string, IGithubBlob>();
  for (let i = 0; i < gitShas.length; i += 1000) {
    for (const row of await em.find(GithubBlob, { gitSha: { $in: gitShas.slice(i, i + 1000) } })) known.set(row.gitSha, row);
  }
  return known;
}

interface Mapped {
  gitSha: string;
  sha256: string | null;
  size: number;
  skipped: 'binary' | 'too-large' | null;
  content?: Buffer;
}

/** Downloads what is new in batches, storing blobs and their git sha mapping as it goes, so a sync that dies leaves reusable work. */
async function fetchNewBlobs(services: SyncServices, context: RunContext, client: ReturnType<typeof createGithubClient>, ref: { owner: string; repo: string }, entries: TreeEntry[]): Promise<void> {
  const { run } = context;
  const max = services.config.maxBlobBytes;
  let fetched = 0;
  for (let i = 0; i < entries.length; i += FETCH_BATCH) {
    const batch = entries.slice(i, i + FETCH_BATCH);
    const mapped: Mapped[] = [];
    for (const entry of batch) {
      context.signal.throwIfAborted();
      if (entry.size > max) {
        mapped.push({ gitSha: entry.gitSha, sha256: null, size: entry.size, skipped: 'too-large' });
        continue;
      }
      const content = await downloadBlob(client, ref, entry.gitSha);
      const binary = isBinaryContent(content);
      mapped.push({ gitSha: entry.gitSha, sha256: binary ? null : sha256Of(content), size: content.length, skipped: binary ? 'binary' : null, content });
    }
    await context.withTenant(async (em) => {
      const text = mapped.filter((m) => m.sha256 !== null);
      await insertBlobs(em, run.tenantId, run.createdBy, text.map((m) => ({ sha256: m.sha256!, content: m.content! })));
      for (const m of mapped) {
        await em.execute(
          `insert into github_blobs (id, tenant_id, git_sha, sha256, size, skipped, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, now())
           on conflict (tenant_id, git_sha) do nothing`,
          [run.tenantId, m.gitSha, m.sha256, m.size, m.skipped],
        );
      }
    });
    fetched += batch.length;
    await context.emit(GITHUB_SYNC_EVENT.blobs, { fetched, toFetch: entries.length });
    await context.progress(0.1 + 0.8 * (fetched / entries.length), `downloaded ${fetched} of ${entries.length} changed files`);
  }
}

/**
 * The `github-sync` run: resolve the branch, read the tree, download only blobs whose git sha
 * is new, write the snapshot and the sync record, and start an analysis when the project asks
 * for it (settings.autoAnalyze). Nothing is recorded as a sync until the end, so a sync that dies
 * (and is failed by the runner's sweep) never blocks the next one.
 */
export function githubSyncHandler(services: SyncServices) {
  return async (context: RunContext): Promise<GithubSyncResult> => {
    const { run } = context;
    const input = GithubSyncInput.parse(run.input);
    const scope = { tenantId: run.tenantId, userId: run.createdBy };
    const access = await readGithubAccess(services.orm, services.secretBox, scope, services.config.githubApiUrl);
    if (!access) throw new GithubSyncError('No GitHub token is stored for this team: PUT /api/v1/github/token first.');
    const ref = { owner: input.owner, repo: input.repo };
    const client = createGithubClient(access.token, access.baseUrl, context.signal);
    await context.progress(0.02, `reading ${input.owner}/${input.repo}`);
    const commit = await resolveCommit(client, ref, input.branch);
    const usable = (await listFiles(client, ref, commit.treeSha, input.scanPath)).filter((entry) => pathProblem(entry.path) === null);
    const known = await context.withTenant((em) => knownBlobs(em, [...new Set(usable.map((entry) => entry.gitSha))]));
    const toFetch = [...new Map(usable.filter((entry) => !known.has(entry.gitSha)).map((entry) => [entry.gitSha, entry])).values()];
    await context.emit(GITHUB_SYNC_EVENT.tree, { commitSha: commit.commitSha, branch: commit.branch, files: usable.length, toFetch: toFetch.length });
    await context.progress(0.1, `${usable.length} files, ${toFetch.length} to download`);
    await fetchNewBlobs(services, context, client, ref, toFetch);

    const mapping = await context.withTenant((em) => knownBlobs(em, [...new Set(usable.map((entry) => entry.gitSha))]));
    const files: ManifestEntry[] = [];
    for (const entry of usable) {
      const blob = mapping.get(entry.gitSha);
      if (blob?.sha256) files.push({ path: entry.path, sha256: blob.sha256, size: blob.size });
    }
    const snapshot = await createSnapshot(services.orm, scope, run.projectId, { files, source: 'github' }, { maxBlobBytes: services.config.maxBlobBytes });
    const fetchedShas = new Set(toFetch.map((entry) => entry.gitSha));
    const result = {
      snapshotId: snapshot.id,
      commitSha: commit.commitSha,
      branch: commit.branch,
      scanPath: `/${input.scanPath}`,
      files: files.length,
      fetched: toFetch.length,
      reused: usable.filter((entry) => !fetchedShas.has(entry.gitSha)).length,
      skipped: usable.length - files.length,
    };
    const autoAnalyze = await context.withTenant(async (em) => {
      const previous = await em.findOne(GithubSync, { projectId: run.projectId }, { orderBy: { createdAt: 'desc' } });
      em.create(GithubSync, {
        ...result,
        scanPath: input.scanPath,
        tenantId: run.tenantId,
        projectId: run.projectId,
        runId: run.id,
        previousSyncId: previous?.id ?? null,
        owner: input.owner,
        repo: input.repo,
        createdBy: run.createdBy,
      });
      await em.flush();
      const project = await em.findOne(Project, { id: run.projectId });
      return project?.settings.autoAnalyze === true;
    });
    let analysisRunId: string | null = null;
    if (autoAnalyze) {
      // Started as the person who asked for the sync; it goes through the same dedup guard as any analysis.
      const asCreator = actingForRun({ id: run.id, tenantId: run.tenantId, createdBy: run.createdBy ?? null });
      const analysis = await createRun({ orm: services.orm, bus: services.runs.bus, registry: services.runs.registry }, asCreator, { kind: ANALYSIS_RUN_KIND, projectId: run.projectId, input: { snapshotId: snapshot.id } });
      analysisRunId = analysis.id;
    }
    return { ...result, analysisRunId };
  };
}

export const githubSyncRunKind: RunKindDefinition<SyncServices> = { kind: GITHUB_SYNC_RUN_KIND, input: GithubSyncInput, handler: (services) => githubSyncHandler(services) };
