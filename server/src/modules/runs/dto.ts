import type { Run } from '#protocol/runs.ts';
import type { IRun } from './run.entity.ts';

export function toRunDto(row: IRun): Run {
  return {
    id: row.id,
    kind: row.kind,
    projectId: row.projectId,
    status: row.status,
    input: row.input,
    inputHash: row.inputHash,
    progress: row.progress,
    progressMessage: row.progressMessage ?? null,
    result: row.result ?? null,
    error: row.error ?? null,
    attempts: row.attempts,
    lastSeq: row.lastSeq,
    cancelRequested: Boolean(row.cancelRequestedAt),
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
