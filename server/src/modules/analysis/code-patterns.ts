import type { EntityManager } from '@mikro-orm/postgresql';
import { EMBEDDER_ID, embedLocally } from '#server/modules/ai/engine/local-embedder.ts';
import type { CodePattern } from '#protocol/analysis.ts';
import { ruleTitle } from './rule-docs.ts';
import { CodePatternRow, type ICodePattern, type PatternExample } from './code-pattern.entity.ts';
import { FindingRow } from './finding.entity.ts';

const EXAMPLES_PER_PATTERN = 5;

export function toCodePatternDto(row: ICodePattern): CodePattern {
  return {
    id: row.id,
    projectId: row.projectId,
    ruleId: row.ruleId,
    title: row.title,
    severity: row.severity,
    count: row.count,
    examples: row.examples,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the embedding describes: the rule and how it shows up in this project. */
function patternText(title: string, ruleId: string, messages: string[], examples: PatternExample[]): string {
  return [`${title} (${ruleId})`, ...new Set(messages), ...examples.map((example) => `${example.path}: ${example.snippet}`)].join('\n');
}

/**
 * Whether the stored patterns count exactly the project's open findings per rule. A persist that
 * changed no finding a pattern reads (findings-store.ts) skips the refresh only when this holds:
 * status changes made elsewhere (an auto-fix marking AI findings fixed) still get counted.
 */
export async function patternsMatchOpenFindings(em: EntityManager, projectId: string): Promise<boolean> {
  const rows = await em.execute<{ mismatched: number }[]>(
    `select count(*)::int as mismatched from
       (select rule_id, count(*)::int as n from findings where project_id = ? and status = 'open' group by rule_id) f
       full join (select rule_id, count as n from code_patterns where project_id = ?) p on p.rule_id = f.rule_id
      where f.n is distinct from p.n`,
    [projectId, projectId],
  );
  return rows[0]?.mismatched === 0;
}

/**
 * Recomputes a project's code patterns from its open findings: one row per rule with a count,
 * a few examples (first paths in order) and an embedding from the local embedder (deterministic,
 * offline; `embedder` names it so a later switch never mixes vectors). Rules without open
 * findings lose their row.
 */
export async function refreshCodePatterns(em: EntityManager, tenantId: string, projectId: string): Promise<number> {
  const open = await em.find(FindingRow, { projectId, status: 'open' }, { orderBy: { ruleId: 'asc', path: 'asc', startLine: 'asc' } });
  const byRule = new Map<string, typeof open>();
  for (const finding of open) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const existing = new Map((await em.find(CodePatternRow, { projectId })).map((row) => [row.ruleId, row]));
  for (const [ruleId, findings] of byRule) {
    const examples = findings.slice(0, EXAMPLES_PER_PATTERN).map((f) => ({ path: f.path, line: f.startLine, snippet: f.snippet }));
    const title = ruleTitle(ruleId);
    const embedding = Array.from(embedLocally(patternText(title, ruleId, findings.slice(0, 20).map((f) => f.message), examples)));
    const fields = { title, severity: findings[0]!.severity, count: findings.length, examples, embedding, embedder: EMBEDDER_ID.local };
    const row = existing.get(ruleId);
    // Plain assignment: em.assign validates the vector against the column's string runtime type and refuses it.
    if (row) Object.assign(row, fields);
    else em.create(CodePatternRow, { ...fields, tenantId, projectId, ruleId });
    existing.delete(ruleId);
  }
  for (const stale of existing.values()) em.remove(stale);
  await em.flush();
  return byRule.size;
}
