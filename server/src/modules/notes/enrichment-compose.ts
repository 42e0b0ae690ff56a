// Writes the enriched note: with the tenant's model when one is configured, else a deterministic
// template. Either way the "Sources" list is generated here from the retrieved items, so the
// citations are exactly what retrieval found, whatever the model wrote.
import { ProviderNotConfiguredError } from '#server/modules/ai/engine/errors.ts';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { createModelGateway, type GatewayServices } from '#server/modules/ai/gateway.ts';
import type { RetrievedItem } from './enrichment-retrieval.ts';

const LABEL: Record<RetrievedItem['type'], string> = {
  code_pattern: 'Code pattern',
  memory: 'Memory',
  workflow_insight: 'Workflow insight',
  consolidation: 'Consolidation pattern',
  note: 'Note',
};

/** Section headings: plural by hand, since "Memory" + "s" is not English. */
const PLURAL: Record<RetrievedItem['type'], string> = {
  code_pattern: 'Code patterns',
  memory: 'Memories',
  workflow_insight: 'Workflow insights',
  consolidation: 'Consolidation patterns',
  note: 'Notes',
};

export interface NoteForEnrichment {
  title: string;
  body: string;
  path: string | null;
}

export function sourcesSection(items: RetrievedItem[]): string {
  if (!items.length) return '## Sources\n\nNothing in the project\'s memory, code patterns or workflow insights relates to this note yet.\n';
  return `## Sources\n\n${items.map((i) => `- **[${i.ref}]** ${LABEL[i.type]}: ${i.title} (\`${i.id}\`, similarity ${i.similarity.toFixed(2)})`).join('\n')}\n`;
}

export function templateEnrichment(note: NoteForEnrichment, items: RetrievedItem[]): string {
  const groups = (['memory', 'consolidation', 'code_pattern', 'workflow_insight'] as const)
    .map((type) => ({ type, items: items.filter((i) => i.type === type) }))
    .filter((g) => g.items.length);
  const sections = groups.map((g) => `### ${PLURAL[g.type]}\n\n${g.items.map((i) => `- [${i.ref}] ${i.text.replace(/\s+/g, ' ').trim()}`).join('\n')}`);
  return [`## Context for "${note.title}"`, note.path ? `On \`${note.path}\`.` : '', ...sections].filter(Boolean).join('\n\n');
}

function prompt(note: NoteForEnrichment, items: RetrievedItem[]): string {
  const listed = items.map((i) => `[${i.ref}] (${LABEL[i.type]}, id ${i.id}) ${i.title}\n${i.text}`).join('\n\n');
  return [
    `Note title: ${note.title}`,
    note.path ? `File: ${note.path}` : '',
    `Note:\n${note.body || '(empty)'}`,
    `Project knowledge retrieved for this note:\n\n${listed || '(none)'}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

const SYSTEM =
  'You enrich a developer\'s note with what their project already knows. Write concise Markdown (no top-level heading): ' +
  'what in the retrieved knowledge matters for the note, conflicts or conventions to respect, and next steps. ' +
  'Cite items by their tag like [M1] or [P2]; use only the tags given; do not invent sources.';

export interface ComposedEnrichment {
  markdown: string;
  /** "provider/model", or null for the template. */
  model: string | null;
}

export async function composeEnrichment(services: GatewayServices, scope: TenantScope, runId: string, note: NoteForEnrichment, items: RetrievedItem[], signal: AbortSignal): Promise<ComposedEnrichment> {
  let body: string;
  let model: string | null = null;
  try {
    const gateway = await createModelGateway(services, scope, { runId });
    const answer = await gateway.router.chat({ system: SYSTEM, messages: [{ role: 'user', content: prompt(note, items) }], maxTokens: 1200, signal });
    body = answer.text.trim();
    model = `${answer.provider}/${answer.model}`;
  } catch (error) {
    if (!(error instanceof ProviderNotConfiguredError)) throw error;
    body = templateEnrichment(note, items);
  }
  return { markdown: `${body}\n\n${sourcesSection(items)}`, model };
}
