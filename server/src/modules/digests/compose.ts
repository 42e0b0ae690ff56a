// Turns a period's activity into a dev-blog post and its JSON summary. The summary's facts are
// counted here; with a configured model, the model writes the post (and may phrase the summary)
// from those facts; without one, a deterministic template does.
import { z } from 'zod';
import { ProviderNotConfiguredError } from '#server/modules/ai/engine/errors.ts';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { DigestSummary } from '#protocol/digests.ts';
import { createModelGateway, type GatewayServices } from '#server/modules/ai/gateway.ts';
import type { ProjectActivity } from './activity.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export function factualSummary(activity: ProjectActivity): DigestSummary {
  const succeeded = activity.runs.filter((r) => r.status === 'succeeded');
  const failed = activity.runs.filter((r) => r.status === 'failed');
  const fixed = activity.fixedFindings.reduce((n, f) => n + f.count, 0);
  const openErrors = activity.openFindings.find((f) => f.severity === 'error')?.count ?? 0;
  return {
    thingsDone: [
      ...succeeded.map((r) => `${plural(r.count, `${r.kind} run`)} completed`),
      ...(activity.notes.length ? [`${plural(activity.notes.length, 'note')} written`] : []),
      ...(activity.memory.length ? [`${plural(activity.memory.length, 'memory entry', 'memory entries')} recorded`] : []),
    ],
    pains: [
      ...failed.map((r) => `${plural(r.count, `${r.kind} run`)} failed`),
      ...activity.failures.slice(0, 3).map((f) => `${f.kind}: ${f.error.slice(0, 160)}`),
      ...(openErrors ? [`${plural(openErrors, 'error-level finding')} still open`] : []),
    ],
    successes: [
      ...(fixed ? [`${plural(fixed, 'finding')} fixed (${activity.fixedFindings.slice(0, 3).map((f) => f.ruleId).join(', ')})`] : []),
      ...activity.memory.filter((m) => m.kind === 'decision').slice(0, 3).map((m) => `Decided: ${m.text.slice(0, 160)}`),
    ],
    techStack: activity.techStack.slice(0, 8),
  };
}

export function digestTitle(activity: ProjectActivity): string {
  return `${activity.projectName} — Digest — ${day(activity.periodStart)} to ${day(activity.periodEnd)}`;
}

const list = (items: string[], empty: string) => (items.length ? items.map((i) => `- ${i}`).join('\n') : `_${empty}_`);

export function templatePost(activity: ProjectActivity, summary: DigestSummary): string {
  const total = activity.runs.reduce((n, r) => n + r.count, 0);
  const table = activity.runs.length
    ? `| Run kind | Status | Count |\n|---|---|---:|\n${activity.runs.map((r) => `| ${r.kind} | ${r.status} | ${r.count} |`).join('\n')}`
    : '_No runs in this period._';
  return [
    `# What happened on ${activity.projectName}, ${day(activity.periodStart)} to ${day(activity.periodEnd)}`,
    `The team ran ${plural(total, 'job')}, fixed ${plural(activity.fixedFindings.reduce((n, f) => n + f.count, 0), 'finding')}, wrote ${plural(activity.notes.length, 'note')} and recorded ${plural(activity.memory.length, 'memory entry', 'memory entries')}.`,
    `## Things done\n\n${list(summary.thingsDone, 'Nothing recorded.')}`,
    `## Wins\n\n${list(summary.successes, 'None recorded.')}`,
    `## Pains\n\n${list(summary.pains, 'None: a quiet period.')}`,
    `## Runs\n\n${table}`,
    activity.notes.length ? `## Notes\n\n${activity.notes.map((n) => `- ${n.title}${n.path ? ` (\`${n.path}\`)` : ''}`).join('\n')}` : '',
    activity.memory.length ? `## What we learned\n\n${activity.memory.map((m) => `- **${m.kind}** (${m.source}): ${m.text}`).join('\n')}` : '',
    `## Tech stack\n\n${summary.techStack.length ? summary.techStack.join(', ') : '_No snapshot yet._'}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

const ModelDigest = z.object({ markdown: z.string().min(1), summary: DigestSummary });

export interface ComposedDigest {
  markdown: string;
  summary: DigestSummary;
  model: string | null;
}

export async function composeDigest(services: GatewayServices, scope: TenantScope, runId: string, activity: ProjectActivity, signal: AbortSignal): Promise<ComposedDigest> {
  const facts = factualSummary(activity);
  try {
    const gateway = await createModelGateway(services, scope, { runId });
    const { value, answer } = await chatStructured(
      gateway.router,
      {
        system:
          'You write a short, friendly dev-blog post (Markdown, starting with a "# " title) about a software project\'s period, ' +
          'from the activity facts given. Stay factual: mention only what the facts say. Also return the summary lists, rephrased if useful.',
        messages: [{ role: 'user', content: JSON.stringify({ activity, summary: facts }) }],
        maxTokens: 2000,
        signal,
      },
      ModelDigest,
    );
    return { markdown: value.markdown, summary: value.summary, model: `${answer.provider}/${answer.model}` };
  } catch (error) {
    if (!(error instanceof ProviderNotConfiguredError)) throw error;
    return { markdown: templatePost(activity, facts), summary: facts, model: null };
  }
}
