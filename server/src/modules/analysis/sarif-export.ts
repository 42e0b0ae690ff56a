import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { ANALYZER_VERSION } from './analyzers/analyze-file.ts';
import { FindingRow } from './finding.entity.ts';
import { findRule, ruleDocsPath } from './rule-docs.ts';
import { buildSarif } from './sarif.ts';
import type { Log } from './sarif-types.ts';
import { requireProject } from './snapshot-service.ts';

/**
 * GET /projects/:id/findings.sarif: the project's open findings (what the team still has to act
 * on; dismissed and fixed ones are left out, as in the editor). `origin` (no trailing slash) makes rule links absolute:
 * a SARIF file is read far from this server, by GitHub or a dashboard.
 */
export async function exportSarif(orm: Orm, auth: Authenticated, projectId: string, origin: string): Promise<Log> {
  await requireProject(orm, auth, projectId);
  const rows = await withTenant(orm, auth, (em) =>
    em.find(FindingRow, { projectId, status: 'open' }, { orderBy: { path: 'asc', startLine: 'asc', startColumn: 'asc', ruleId: 'asc', id: 'asc' } }),
  );
  return buildSarif({
    findings: rows.map((row) => ({
      ruleId: row.ruleId,
      severity: row.severity,
      message: row.message,
      path: row.path,
      range: { startLine: row.startLine, startColumn: row.startColumn, endLine: row.endLine, endColumn: row.endColumn },
      fingerprint: row.fingerprint,
      fix: row.fix ?? null,
      flow: row.flow ?? null,
    })),
    ruleOf: findRule,
    helpUriOf: (ruleId) => `${origin}${ruleDocsPath(ruleId)}`,
    toolVersion: ANALYZER_VERSION,
  });
}
