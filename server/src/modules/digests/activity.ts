// What happened in a project during a period, read in one tenant transaction. Findings and
// snapshots belong to the analysis feature: they are read only where their tables exist.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface ProjectActivity {
  projectName: string;
  periodStart: Date;
  periodEnd: Date;
  runs: { kind: string; status: string; count: number }[];
  failures: { kind: string; error: string }[];
  fixedFindings: { ruleId: string; count: number }[];
  openFindings: { severity: string; count: number }[];
  notes: { title: string; path: string | null }[];
  memory: { kind: string; source: string; text: string }[];
  /** Languages and file types of the latest snapshot, most files first. */
  techStack: string[];
}

const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript', tsx: 'TypeScript (React)', js: 'JavaScript', jsx: 'JavaScript (React)', mjs: 'JavaScript', cjs: 'JavaScript',
  py: 'Python', go: 'Go', java: 'Java', kt: 'Kotlin', rs: 'Rust', rb: 'Ruby', php: 'PHP', cs: 'C#', cpp: 'C++', c: 'C', h: 'C/C++ headers',
  swift: 'Swift', scala: 'Scala', sql: 'SQL', sh: 'Shell', css: 'CSS', scss: 'SCSS', html: 'HTML', vue: 'Vue', svelte: 'Svelte',
  yml: 'YAML', yaml: 'YAML', toml: 'TOML', tf: 'Terraform', dockerfile: 'Docker',
};

async function tableExists(em: EntityManager, table: string): Promise<boolean> {
  const [row] = await em.execute<{ present: boolean }[]>(`select to_regclass(?) is not null as present`, [`public.${table}`]);
  return Boolean(row?.present);
}

export function techStackOf(paths: string[]): string[] {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const name = path.split('/').pop()!.toLowerCase();
    const ext = name === 'dockerfile' ? 'dockerfile' : name.includes('.') ? name.split('.').pop()! : '';
    const language = LANGUAGES[ext];
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([language]) => language);
}

export async function readActivity(em: EntityManager, projectId: string, periodStart: Date, periodEnd: Date): Promise<ProjectActivity> {
  const period = [projectId, periodStart, periodEnd];
  const [project] = await em.execute<{ name: string }[]>(`select name from projects where id = ?`, [projectId]);
  const runs = await em.execute<{ kind: string; status: string; count: string }[]>(
    `select kind, status, count(*) as count from runs where project_id = ? and created_at >= ? and created_at < ? group by kind, status order by kind, status`,
    period,
  );
  const failures = await em.execute<{ kind: string; error: string }[]>(
    `select distinct on (kind, error) kind, error from runs where project_id = ? and created_at >= ? and created_at < ? and status = 'failed' and error is not null order by kind, error limit 10`,
    period,
  );
  const hasFindings = await tableExists(em, 'findings');
  const fixedFindings = hasFindings
    ? await em.execute<{ rule_id: string; count: string }[]>(
        `select rule_id, count(*) as count from findings where project_id = ? and status = 'fixed' and updated_at >= ? and updated_at < ? group by rule_id order by count(*) desc, rule_id limit 20`,
        period,
      )
    : [];
  const openFindings = hasFindings
    ? await em.execute<{ severity: string; count: string }[]>(`select severity, count(*) as count from findings where project_id = ? and status = 'open' group by severity order by severity`, [projectId])
    : [];
  const notes = await em.execute<{ title: string; path: string | null }[]>(
    `select title, location ->> 'path' as path from notes where project_id = ? and created_at >= ? and created_at < ? order by created_at limit 50`,
    period,
  );
  const memory = await em.execute<{ kind: string; source: string; text: string }[]>(
    `select kind, source, left(text, 300) as text from memory_entries where project_id = ? and created_at >= ? and created_at < ? order by created_at limit 50`,
    period,
  );
  const snapshot = (await tableExists(em, 'snapshots'))
    ? await em.execute<{ paths: string[] }[]>(
        `select array(select f ->> 'path' from jsonb_array_elements(files) f) as paths from snapshots where project_id = ? and created_at < ? order by created_at desc limit 1`,
        [projectId, periodEnd],
      )
    : [];
  return {
    projectName: project?.name ?? 'Deleted project',
    periodStart,
    periodEnd,
    runs: runs.map((r) => ({ kind: r.kind, status: r.status, count: Number(r.count) })),
    failures,
    fixedFindings: fixedFindings.map((f) => ({ ruleId: f.rule_id, count: Number(f.count) })),
    openFindings: openFindings.map((f) => ({ severity: f.severity, count: Number(f.count) })),
    notes,
    memory,
    techStack: techStackOf(snapshot[0]?.paths ?? []),
  };
}
