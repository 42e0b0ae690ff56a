// The `autofix` and `refactor` run kinds: collect context, generate (or take the analyzers'
// deterministic fixes), validate, and return the patch as the run's result. Nothing here touches
// the project's files: the editor applies the patch and reports back (apply-service.ts).
import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import {
  AUTOFIX_EVENT,
  AUTOFIX_RUN_KIND,
  AutofixRunInput,
  REFACTOR_RUN_KIND,
  RefactorRunInput,
  type AddressedFinding,
  type AutofixResult,
  type AutofixRunKind,
  type AutofixStep,
  type FilePatch,
  type ModelUsage,
} from '#protocol/autofix.ts';
import { FindingRow, type IFinding } from '#server/modules/analysis/finding.entity.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { collectModelContext, ContextError, filesOfSnapshot, loadFindings, readBaseFiles, type BaseFile, type ModelContext } from './context.ts';
import { deterministicEdits, type FixableFinding } from './deterministic.ts';
import { generatePatch } from './generate.ts';
import { AUTOFIX_TASK, autofixMessage, REFACTOR_TASK, refactorMessage, systemPrompt } from './prompt.ts';
import { PatchRejected, type OffsetEdit } from './patch.ts';
import { renderReport, reportTitle } from './report.ts';
import { buildPatches, editsFromAnswer } from './validate.ts';

export type AutofixServices = Pick<AppServices, 'orm' | 'secretBox' | 'log' | 'runs' | 'config'>;

async function step(context: RunContext, name: AutofixStep, fraction: number, message: string): Promise<void> {
  await context.emit(AUTOFIX_EVENT.step, { step: name, message });
  await context.progress(fraction, message);
}

/** Validation: a rejected patch becomes an event and the run's error, naming the file. */
async function validatePatches(services: AutofixServices, context: RunContext, files: readonly BaseFile[], edits: () => Map<string, OffsetEdit[]>): Promise<FilePatch[]> {
  await step(context, 'validating', 0.85, 'Checking that the patch applies, stays in its files and parses');
  try {
    const patches = buildPatches(files, edits(), services.config.maxBlobBytes);
    if (!patches.length) throw new PatchRejected('the proposal changes nothing in the files', null);
    for (const patch of patches) await context.emit(AUTOFIX_EVENT.patch, { path: patch.path, edits: patch.edits.length, syntaxChecked: patch.syntaxChecked });
    return patches;
  } catch (error) {
    if (error instanceof PatchRejected) await context.emit(AUTOFIX_EVENT.rejected, { reason: error.message, path: error.path });
    throw error;
  }
}

interface ModelRequest {
  task: string;
  message: (model: ModelContext) => string;
  personaRef: string | undefined;
  model: string | undefined;
  ruleIds: Set<string>;
  memoryQuery: string;
}

async function proposeWithModel(services: AutofixServices, context: RunContext, files: readonly BaseFile[], request: ModelRequest) {
  const { run } = context;
  const modelContext = await collectModelContext(services, context, { paths: new Set(files.map((f) => f.path)), personaRef: request.personaRef, ruleIds: request.ruleIds, memoryQuery: request.memoryQuery });
  const persona = modelContext.persona;
  const gateway = await createModelGateway(services, { tenantId: run.tenantId, userId: run.createdBy }, { runId: run.id, personaId: persona?.id });
  if ((await gateway.credentials.configuredProviders()).length === 0) {
    throw new ContextError('no AI provider is configured for this team, and this change needs a model: configure one with PUT /api/v1/providers/<provider>');
  }
  await step(context, 'generating', 0.3, `${persona?.name ?? 'The model'} is writing the patch`);
  const generated = await generatePatch(gateway, context, {
    explicit: request.model,
    personaDefault: persona?.defaultModel ?? undefined,
    personaId: persona?.id,
    system: systemPrompt(modelContext, request.task),
    messages: [{ role: 'user', content: request.message(modelContext) }],
    temperature: 0,
    signal: context.signal,
    runId: run.id,
  });
  const patches = await validatePatches(services, context, files, () => editsFromAnswer(files, generated.answer));
  return { patches, rationale: generated.answer.rationale, usage: generated.usage, persona };
}

interface Outcome {
  kind: AutofixRunKind;
  mode: AutofixResult['mode'];
  snapshotId: string | null;
  rationale: string;
  files: FilePatch[];
  findings: AddressedFinding[];
  instruction: string | null;
  persona: { id: string; name: string } | null;
  usage: ModelUsage | null;
}

function resultOf(outcome: Outcome): AutofixResult {
  const report = { ...outcome, personaName: outcome.persona?.name ?? null };
  return {
    kind: outcome.kind,
    mode: outcome.mode,
    snapshotId: outcome.snapshotId,
    rationale: outcome.rationale,
    files: outcome.files,
    findings: outcome.findings,
    instruction: outcome.instruction,
    personaId: outcome.persona?.id ?? null,
    usage: outcome.usage,
    reportMarkdown: renderReport(report),
    reportTitle: reportTitle(report),
    reportKind: outcome.kind,
  };
}

const addressed = (f: IFinding): AddressedFinding => ({ id: f.id, ruleId: f.ruleId, path: f.path, line: f.startLine, message: f.message });

export function autofixHandler(services: AutofixServices) {
  return async (context: RunContext): Promise<AutofixResult> => {
    const { run } = context;
    const input = AutofixRunInput.parse(run.input);
    await step(context, 'collecting-context', 0.05, `Reading ${input.findingIds.length} finding(s) and their files`);
    const { findings, files, fixable } = await context.withTenant(async (em) => {
      const findings = await loadFindings(em, run.projectId, input.findingIds);
      const refs = input.files ?? (await filesOfSnapshot(em, run.projectId, input.snapshotId!, findings.map((f) => f.path)));
      const allowed = new Set(refs.map((ref) => ref.path));
      for (const finding of findings) {
        if (finding.status === 'fixed') throw new ContextError(`finding ${finding.id} (${finding.ruleId} at ${finding.path}) is already fixed`);
        if (!allowed.has(finding.path)) throw new ContextError(`finding ${finding.id} is in ${finding.path}, which is not among the run's files`);
      }
      const reviewedSnapshots = await em.find(Snapshot, { id: { $in: [...new Set(findings.filter((f) => f.source === 'ai').map((f) => f.lastSeenSnapshotId))] } });
      const fixable: FixableFinding[] = findings.map((finding) => ({
        finding,
        reviewedBlobHash: reviewedSnapshots.find((s) => s.id === finding.lastSeenSnapshotId)?.files.find((file) => file.path === finding.path)?.sha256 ?? null,
      }));
      return { findings, files: await readBaseFiles(em, refs), fixable };
    });
    const base = { kind: AUTOFIX_RUN_KIND, snapshotId: input.snapshotId ?? null, findings: findings.map(addressed), instruction: null } as const;

    const deterministic = deterministicEdits(files, fixable);
    if (deterministic) {
      const patches = await validatePatches(services, context, files, () => deterministic);
      const rationale = findings.map((f) => `- ${f.ruleId} at ${f.path}:${f.startLine}: the analyzer's fix.`).join('\n');
      return resultOf({ ...base, mode: 'deterministic', rationale, files: patches, persona: null, usage: null });
    }
    const proposal = await proposeWithModel(services, context, files, {
      task: AUTOFIX_TASK,
      message: (model) => autofixMessage(files, findings, model),
      personaRef: input.personaId,
      model: input.model,
      ruleIds: new Set(findings.map((f) => f.ruleId)),
      memoryQuery: findings.map((f) => `${f.ruleId} ${f.message}`).join('\n'),
    });
    return resultOf({ ...base, mode: 'model', rationale: proposal.rationale, files: proposal.patches, persona: proposal.persona, usage: proposal.usage });
  };
}

export function refactorHandler(services: AutofixServices) {
  return async (context: RunContext): Promise<AutofixResult> => {
    const { run } = context;
    const input = RefactorRunInput.parse(run.input);
    await step(context, 'collecting-context', 0.05, `Reading ${input.files.length} file(s)`);
    const files = await context.withTenant((em) => readBaseFiles(em, input.files));
    const range = input.range;
    if (range) {
      const file = files.find((f) => f.path === (range.path ?? files[0]!.path))!;
      const lineCount = file.text.split('\n').length;
      if (range.endLine > lineCount || range.startLine > range.endLine) throw new ContextError(`range ${range.startLine}-${range.endLine} is outside ${file.path} (${lineCount} lines)`);
    }
    const proposal = await proposeWithModel(services, context, files, {
      task: REFACTOR_TASK,
      message: (model) => refactorMessage(files, input.instruction, range, model),
      personaRef: input.personaId,
      model: input.model,
      ruleIds: new Set(),
      memoryQuery: input.instruction,
    });
    return resultOf({
      kind: REFACTOR_RUN_KIND,
      mode: 'model',
      snapshotId: null,
      rationale: proposal.rationale,
      files: proposal.patches,
      findings: [],
      instruction: input.instruction,
      persona: proposal.persona,
      usage: proposal.usage,
    });
  };
}

export const autofixRunKind: RunKindDefinition<AutofixServices> = {
  kind: AUTOFIX_RUN_KIND,
  input: AutofixRunInput,
  references: (input) => {
    const { snapshotId, findingIds } = input as AutofixRunInput;
    return [...inputReferences(Snapshot, 'snapshotId', snapshotId), ...inputReferences(FindingRow, 'findingIds', findingIds)];
  },
  handler: (services) => autofixHandler(services),
};
export const refactorRunKind: RunKindDefinition<AutofixServices> = { kind: REFACTOR_RUN_KIND, input: RefactorRunInput, handler: (services) => refactorHandler(services) };
