import { randomUUID } from 'node:crypto';
import type { RunningNyx } from '#server/main.ts';

/**
 * A finished run (and a project to hold it) written straight to the database, for tests that give
 * a run id to code below the HTTP layer (model gateways, memory). Composite foreign keys
 * (decision 0011) mean such an id must name a real run of the same tenant. Its kind has no handler
 * and its status is final, so no runner ever picks it up.
 */
export async function insertFinishedRun(nyx: RunningNyx, owner: { tenantId: string; userId: string | null }, projectId?: string): Promise<string> {
  const em = nyx.database.orm.em.fork();
  const project = projectId ?? randomUUID();
  if (!projectId) {
    await em.execute(`insert into projects (id, tenant_id, name, created_by, created_at, updated_at) values (?, ?, 'fixture project', ?, now(), now())`, [
      project,
      owner.tenantId,
      owner.userId,
    ]);
  }
  const runId = randomUUID();
  await em.execute(
    `insert into runs (id, tenant_id, project_id, kind, input, input_hash, status, created_by, created_at, updated_at, finished_at)
     values (?, ?, ?, 'test-fixture', '{}', ?, 'succeeded', ?, now(), now(), now())`,
    [runId, owner.tenantId, project, runId.replaceAll('-', ''), owner.userId],
  );
  return runId;
}
