// The clauses that need judgement go to the compliance officer persona through the model gateway
// (the tenant's budgets and call log apply), a few clauses per call, with the code and findings
// retrieved for each as evidence. Its answer is checked: evidence must name a line of a file in
// the snapshot, or it is dropped (a model's file name is a claim, not a fact).
import { z } from 'zod';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import type { ModelGateway } from '#server/modules/ai/gateway.ts';
import type { IPersona } from '#server/modules/personas/persona.entity.ts';
import type { ControlEvidence } from '#protocol/policies.ts';
import type { Assessment } from './builtin-checks.ts';
import { snippetAt } from './evidence.ts';

export const CLAUSES_PER_CALL = 6;

export interface ClauseForJudgement {
  number: string;
  title: string;
  text: string;
  documentTitle: string;
  controls: string[];
  evidence: ControlEvidence[];
}

export const JudgementAnswer = z.object({
  assessments: z.array(
    z.object({
      number: z.string(),
      status: z.enum(['met', 'partial', 'gap', 'not_applicable']),
      rationale: z.string().min(1),
      evidence: z.array(z.object({ path: z.string(), line: z.number().int() })).default([]),
    }),
  ),
});
export type JudgementAnswer = z.infer<typeof JudgementAnswer>;

const INSTRUCTIONS =
  'You review a software project against clauses of the team\'s own policies. For each clause, decide from the evidence given ' +
  '(code lines, analysis findings, the project\'s memory) whether the project meets it: "met", "partial", "gap" (the evidence shows it is not met), ' +
  'or "not_applicable" (the clause concerns something outside this code base, such as an organisational process). ' +
  'Cite the clause by its number. Give a rationale of one to three sentences that names what you saw. ' +
  'List as evidence only file paths and line numbers that appear in the evidence given; say "gap" only with such evidence.';

function renderClause(clause: ClauseForJudgement): string {
  const evidence = clause.evidence.length
    ? clause.evidence.map((item) => `- ${item.path}:${item.line}${item.ruleId ? ` (finding ${item.ruleId})` : ''}\n${item.snippet.split('\n').map((line) => `    ${line}`).join('\n')}`).join('\n')
    : '- (no code in the snapshot matched this clause\'s words)';
  return [`### Clause ${clause.number}: ${clause.title} (${clause.documentTitle})`, clause.text, clause.controls.length ? `Controls: ${clause.controls.join(', ')}` : '', 'Evidence:', evidence]
    .filter(Boolean)
    .join('\n');
}

/** "Clause 4.2." and "4.2" are one clause. */
function normaliseNumber(number: string): string {
  return number.trim().replace(/^clause\s+/i, '').replace(/\.$/, '');
}

export interface JudgementRequest {
  gateway: ModelGateway;
  persona: IPersona;
  model: string | undefined;
  projectName: string;
  memory: string[];
  signal: AbortSignal;
}

/** One call for a batch of clauses; returns an assessment per clause (by position) and the model that answered. */
export async function judgeClauses(request: JudgementRequest, clauses: readonly ClauseForJudgement[], files: ReadonlyMap<string, string[]>): Promise<{ assessments: Assessment[]; model: string }> {
  const prompt = [
    `Project: ${request.projectName}`,
    request.memory.length ? `What the project has recorded (decisions, conventions, facts):\n${request.memory.map((entry) => `- ${entry}`).join('\n')}` : '',
    `Assess these ${clauses.length} clause(s):`,
    ...clauses.map(renderClause),
  ]
    .filter(Boolean)
    .join('\n\n');
  const { value, answer } = await chatStructured(
    request.gateway.router,
    {
      explicit: request.model,
      personaDefault: request.persona.defaultModel ?? undefined,
      personaId: request.persona.id,
      system: [request.persona.systemPrompt, `You are ${request.persona.name}, ${request.persona.role}.`, INSTRUCTIONS].filter(Boolean).join('\n\n'),
      messages: [{ role: 'user', content: prompt }],
      signal: request.signal,
    },
    JudgementAnswer,
  );
  const byNumber = new Map(value.assessments.map((assessment) => [normaliseNumber(assessment.number), assessment]));
  const assessments = clauses.map((clause): Assessment => {
    const judged = byNumber.get(normaliseNumber(clause.number));
    if (!judged) return { status: 'unreviewed', assessedBy: 'none', rationale: 'The reviewer gave no assessment of this clause.', evidence: [] };
    const evidence = judged.evidence
      .map((item) => ({ item, snippet: snippetAt(files, item.path, item.line) }))
      .filter(({ snippet }) => snippet !== '')
      .map(({ item, snippet }) => clause.evidence.find((known) => known.path === item.path && known.line === item.line) ?? { path: item.path, line: item.line, findingId: null, ruleId: null, snippet });
    return { status: judged.status, assessedBy: 'model', rationale: judged.rationale, evidence };
  });
  return { assessments, model: `${answer.provider}/${answer.model}` };
}
