// The `compliance-review` run: a project checked against the tenant's policies, clause by clause.
// Built-in checks first (no model), then the compliance officer persona for the clauses that need
// judgement, then the matrix: a report (Markdown, PDF through the reports feature) and gap findings.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { COMPLIANCE_EVENT, COMPLIANCE_REVIEW_RUN_KIND, ComplianceReviewInput, ControlStatus, type ControlMatrix, type ControlMatrixRow } from '#protocol/policies.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { publishFindingsChanged } from '#server/modules/analysis/finding-events.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { MemoryEntryRow } from '#server/modules/memory/memory-entry.entity.ts';
import { findPersonaByRef } from '#server/modules/personas/store.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import { saveRunReport } from '#server/modules/reports/service.ts';
import { PolicyClauseRow, PolicyDocumentRow, type IPolicyDocument } from '../policy.entity.ts';
import { assessByCwe, type Assessment } from './builtin-checks.ts';
import { clauseTerms, codeEvidenceFor, loadProjectEvidence } from './evidence.ts';
import { persistGapFindings } from './gap-findings.ts';
import { CLAUSES_PER_CALL, judgeClauses, type ClauseForJudgement } from './judgement.ts';
import { renderMatrixMarkdown } from './matrix-markdown.ts';
import { NoPoliciesError } from './start.ts';

type ReviewServices = Pick<AppServices, 'orm' | 'secretBox' | 'log' | 'runs'>;

export const COMPLIANCE_PERSONA = 'compliance-officer';
/** Memory entries (newest first) the reviewer reads as the project's recorded decisions. */
const MEMORY_ENTRIES = 15;

interface PlannedClause {
  document: IPolicyDocument;
  id: string;
  number: string;
  title: string;
  text: string;
  controls: string[];
  cwes: string[];
}

async function loadPlan(em: EntityManager, documentIds: readonly string[]) {
  const documents = await em.find(PolicyDocumentRow, documentIds.length ? { id: { $in: [...documentIds] } } : {}, { orderBy: { key: 'asc' } });
  const clauses = documents.length
    ? await em.find(PolicyClauseRow, { versionId: { $in: documents.map((d) => d.latestVersionId) } }, { orderBy: { ordinal: 'asc' }, exclude: ['embedding'] })
    : [];
  const byId = new Map(documents.map((d) => [d.id, d]));
  const planned: PlannedClause[] = documents.flatMap((document) =>
    clauses.filter((c) => c.documentId === document.id).map((c) => ({ document: byId.get(c.documentId)!, id: c.id, number: c.number, title: c.title, text: c.text, controls: c.controls, cwes: c.cwes })),
  );
  return { documents, planned };
}

function rowOf(clause: PlannedClause, assessment: Assessment): ControlMatrixRow {
  return {
    clauseId: clause.id,
    documentId: clause.document.id,
    documentKey: clause.document.key,
    version: clause.document.latestVersion,
    number: clause.number,
    title: clause.title,
    citation: `${clause.document.title} §${clause.number}`,
    ...assessment,
    controls: clause.controls,
    cwes: clause.cwes,
    gapFindingIds: [],
  };
}

export function complianceReviewHandler(services: ReviewServices) {
  return async (context: RunContext) => {
    const { run } = context;
    const input = ComplianceReviewInput.parse(run.input);
    const scope = { tenantId: run.tenantId, userId: run.createdBy };
    const loaded = await context.withTenant(async (em) => {
      const plan = await loadPlan(em, input.documentIds);
      const project = await em.findOneOrFail(Project, { id: run.projectId }, { fields: ['id', 'name'] });
      const persona = await findPersonaByRef(em, run.tenantId, COMPLIANCE_PERSONA);
      const memory = await em.find(MemoryEntryRow, { projectId: run.projectId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MEMORY_ENTRIES, fields: ['id', 'kind', 'text'] });
      return { ...plan, project, persona, memory: memory.map((m) => `${m.kind}: ${m.text.slice(0, 300)}`), evidence: await loadProjectEvidence(em, run.projectId, input.snapshotId) };
    });
    // Refused at creation when there were none (the precondition below); these were deleted since.
    if (!loaded.planned.length) throw new Error('there are no policies to review against: upload one or install the starter set first');
    const builtin = loaded.planned.filter((clause) => clause.cwes.length > 0);
    const judgement = loaded.planned.filter((clause) => clause.cwes.length === 0);
    const documents = loaded.documents.map((d) => ({ id: d.id, key: d.key, title: d.title, version: d.latestVersion }));
    await context.emit(COMPLIANCE_EVENT.plan, { documents, clauses: loaded.planned.length, builtin: builtin.length, judgement: judgement.length });

    const rows = new Map<string, ControlMatrixRow>();
    const record = async (clause: PlannedClause, assessment: Assessment) => {
      const row = rowOf(clause, assessment);
      rows.set(clause.id, row);
      await context.emit(COMPLIANCE_EVENT.clause, row);
      await context.progress(0.9 * (rows.size / loaded.planned.length), `${row.citation}: ${row.status}`);
    };
    for (const clause of builtin) await record(clause, assessByCwe(clause.cwes, loaded.evidence));

    const gateway = await createModelGateway(services, scope, { runId: run.id });
    const canJudge = judgement.length > 0 && loaded.persona !== null && (await gateway.credentials.configuredProviders()).length > 0;
    let model: string | null = null;
    for (let start = 0; start < judgement.length; start += CLAUSES_PER_CALL) {
      context.signal.throwIfAborted();
      const batch = judgement.slice(start, start + CLAUSES_PER_CALL);
      if (!canJudge) {
        for (const clause of batch) {
          await record(clause, { status: 'unreviewed', assessedBy: 'none', rationale: 'This clause needs a reviewer\'s judgement, and no model provider is configured for the team (Nyx: Configure AI Providers).', evidence: [] });
        }
        continue;
      }
      const forJudgement: ClauseForJudgement[] = batch.map((clause) => ({
        number: clause.number,
        title: clause.title,
        text: clause.text,
        documentTitle: clause.document.title,
        controls: clause.controls,
        evidence: codeEvidenceFor(clauseTerms(`${clause.title} ${clause.text}`), loaded.evidence.files),
      }));
      let judged;
      try {
        judged = await judgeClauses(
          { gateway, persona: loaded.persona!, model: input.model, projectName: loaded.project.name, memory: loaded.memory, signal: context.signal },
          forJudgement,
          loaded.evidence.files,
        );
      } catch (error) {
        // A spent budget or a provider that keeps failing costs these clauses their judgement, not
        // the review: what was assessed still counts, and the matrix says why these were not.
        if (context.signal.aborted) throw error;
        context.log.warn({ err: error }, 'compliance review: the reviewer could not assess a batch of clauses');
        for (const clause of batch) await record(clause, { status: 'unreviewed', assessedBy: 'none', rationale: `The reviewer could not be asked: ${(error as Error).message}`, evidence: [] });
        continue;
      }
      model = judged.model;
      for (const [index, clause] of batch.entries()) await record(clause, judged.assessments[index]!);
    }

    context.signal.throwIfAborted();
    const ordered = loaded.planned.map((clause) => rows.get(clause.id)!);
    let findings = { opened: 0, fixed: 0, total: 0 };
    const snapshotId = loaded.evidence.snapshotId;
    if (snapshotId) {
      const outcome = await context.withTenant((em) =>
        persistGapFindings(em, { tenantId: run.tenantId, projectId: run.projectId, snapshotId, rows: ordered, reviewedKeys: documents.map((d) => d.key) }),
      );
      for (const row of ordered) row.gapFindingIds = outcome.idsByClause.get(row.clauseId) ?? [];
      findings = { opened: outcome.opened, fixed: outcome.fixed, total: outcome.total };
      await context.emit(COMPLIANCE_EVENT.findings, findings);
      publishFindingsChanged(services.runs.bus, run.tenantId, { projectId: run.projectId, cause: 'compliance-review', findingIds: [], runId: run.id });
    }
    const totals = Object.fromEntries(ControlStatus.options.map((status) => [status, ordered.filter((row) => row.status === status).length])) as ControlMatrix['totals'];
    const matrix: ControlMatrix = { runId: run.id, projectId: run.projectId, snapshotId, reportId: null, documents, rows: ordered, totals, model, createdAt: new Date().toISOString() };
    const report = await saveRunReport(services, scope, { kind: 'compliance', projectId: run.projectId, runId: run.id, markdown: renderMatrixMarkdown(matrix, loaded.project.name), metadata: { matrix, totals } });
    await context.progress(1, `${totals.gap} gap(s), ${totals.partial} partial, ${totals.met} met`);
    return { reportId: report.id, totals, findings, clauses: ordered.length };
  };
}

export const complianceReviewRunKind: RunKindDefinition<ReviewServices> = {
  kind: COMPLIANCE_REVIEW_RUN_KIND,
  input: ComplianceReviewInput,
  references: (input) => {
    const { documentIds, snapshotId } = input as ComplianceReviewInput;
    return [...inputReferences(PolicyDocumentRow, 'documentIds', documentIds), ...inputReferences(Snapshot, 'snapshotId', snapshotId)];
  },
  // POST /api/v1/runs refuses a review with nothing to review against, as the review route does.
  precondition: async (em, input) => {
    const { documentIds } = input as ComplianceReviewInput;
    if ((await em.count(PolicyDocumentRow, documentIds.length ? { id: { $in: documentIds } } : {})) === 0) throw new NoPoliciesError();
  },
  handler: (services) => complianceReviewHandler(services),
};
