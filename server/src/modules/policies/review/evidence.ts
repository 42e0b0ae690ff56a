// What a review looks at: the project's latest snapshot (its source text), its findings, whether
// it was ever analysed, and the lines of code that bear on a clause, found by the clause's own words.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ControlEvidence } from '#protocol/policies.ts';
import { blobContents, isBinaryContent } from '#server/modules/analysis/blob-store.ts';
import { FindingRow } from '#server/modules/analysis/finding.entity.ts';
import { findRule } from '#server/modules/analysis/rule-docs.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { RunRow } from '#server/modules/runs/run.entity.ts';

/** Files read for code evidence: at most this many, each at most this big, this much in all. */
const MAX_FILES = 2_000;
const MAX_FILE_BYTES = 256 * 1024;
const MAX_TOTAL_BYTES = 12 * 1024 * 1024;
const SKIPPED_PATH = /(^|\/)(node_modules|vendor|dist|build|\.git|coverage)\/|\.min\.(js|css)$|\.(lock|map|svg|png|jpe?g|gif|pdf|zip)$|package-lock\.json$/i;

export interface ReviewFinding {
  id: string;
  ruleId: string;
  path: string;
  line: number;
  message: string;
  snippet: string;
  severity: string;
  status: string;
  fingerprint: string;
  cwes: string[];
}

export interface ProjectEvidence {
  snapshotId: string | null;
  /** A successful analysis ran on the project: an absence of findings means something. */
  analysed: boolean;
  findings: ReviewFinding[];
  /** path -> lines of the latest snapshot's text files. */
  files: Map<string, string[]>;
}

/** The project as of `snapshotId` (its latest snapshot when null). */
export async function loadProjectEvidence(em: EntityManager, projectId: string, snapshotId: string | null): Promise<ProjectEvidence> {
  const snapshot = snapshotId
    ? await em.findOne(Snapshot, { id: snapshotId, projectId })
    : await em.findOne(Snapshot, { projectId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  const analysed = (await em.count(RunRow, { projectId, kind: 'analysis', status: 'succeeded' })) > 0;
  const rows = await em.find(FindingRow, { projectId, status: { $in: ['open', 'dismissed'] }, source: { $ne: 'policy' } }, { orderBy: { path: 'asc', startLine: 'asc', id: 'asc' } });
  const findings = rows.map((row) => ({
    id: row.id,
    ruleId: row.ruleId,
    path: row.path,
    line: row.startLine,
    message: row.message,
    snippet: row.snippet,
    severity: row.severity,
    status: row.status,
    fingerprint: row.fingerprint,
    cwes: findRule(row.ruleId)?.cwe ?? [],
  }));
  const files = new Map<string, string[]>();
  if (snapshot) {
    let total = 0;
    const wanted = snapshot.files.filter((file) => file.size <= MAX_FILE_BYTES && !SKIPPED_PATH.test(file.path)).slice(0, MAX_FILES);
    const chosen = wanted.filter((file) => (total += file.size) <= MAX_TOTAL_BYTES);
    const contents = await blobContents(em, [...new Set(chosen.map((file) => file.sha256))]);
    for (const file of chosen) {
      const content = contents.get(file.sha256);
      if (content && !isBinaryContent(content)) files.set(file.path, content.toString('utf8').split(/\r?\n/));
    }
  }
  return { snapshotId: snapshot?.id ?? null, analysed, findings, files };
}

const STOP_WORDS = new Set(
  'the and for are was has had not yet one two per its use with that this from into each every never only must shall should will when where which while have been their them they than then there these those what about above after again other over such some more most used using uses use any all not nor per via its our your who whom how why can may might also both either neither before under until within without'.split(' '),
);

/**
 * The words of a clause worth looking for in code: no stop words, no `Controls:` line, a plural
 * "s" dropped and stems cut at 6 letters ("logs" finds `logger`, "passwords" finds `password`).
 */
export function clauseTerms(text: string): string[] {
  const prose = text.split('\n').filter((line) => !/^\s*controls\s*:/i.test(line)).join(' ');
  const words = prose.toLowerCase().match(/[a-z][a-z0-9_]{2,}/g) ?? [];
  return [...new Set(words.filter((word) => !STOP_WORDS.has(word)).map((word) => word.replace(/(?<=...)s$/, '').slice(0, 6)))];
}

/**
 * The lines of code that share most of a clause's words (a line and its two neighbours), best
 * first, at most `limit`, one per file. Lexical on purpose: cheap, explainable evidence for the
 * reviewer, who judges what it means.
 */
export function codeEvidenceFor(terms: readonly string[], files: ReadonlyMap<string, string[]>, limit = 4): ControlEvidence[] {
  if (!terms.length) return [];
  const best: { path: string; line: number; score: number }[] = [];
  for (const [path, lines] of files) {
    let top: { line: number; score: number } | null = null;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.toLowerCase();
      const window = `${lines[i - 1] ?? ''} ${line} ${lines[i + 1] ?? ''}`.toLowerCase();
      if (window.length > 2_000) continue;
      // Words on the line itself count twice: of two neighbouring lines, the one holding them wins.
      let score = 0;
      for (const term of terms) if (window.includes(term)) score += line.includes(term) ? 2 : 1;
      if (score >= 3 && (!top || score > top.score)) top = { line: i + 1, score };
    }
    if (top) best.push({ path, ...top });
  }
  return best
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map(({ path, line }) => ({ path, line, findingId: null, ruleId: null, snippet: snippetAt(files, path, line) }));
}

/** The line (1-based) of a file of the snapshot with a line either side, or '' when it is not there. */
export function snippetAt(files: ReadonlyMap<string, string[]>, path: string, line: number): string {
  const lines = files.get(path);
  if (!lines || line < 1 || line > lines.length) return '';
  return lines.slice(Math.max(0, line - 2), line + 1).join('\n').slice(0, 600);
}

export function findingEvidence(finding: ReviewFinding): ControlEvidence {
  return { path: finding.path, line: finding.line, findingId: finding.id, ruleId: finding.ruleId, snippet: finding.snippet };
}
