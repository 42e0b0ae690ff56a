// `{{policies}}` for the AI team: the clauses relevant to a question, retrieved by meaning, as a
// block a prompt can hold. Workflows (template tag and automatic context) and discussions (the tag
// in a topic) call it; it says nothing at all when the tenant has no policies.
import type { TenantScope } from '#server/db/tenant-context.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { hasPolicies, searchClauses } from './search.ts';

/** `{{policies}}`, with optional spaces inside, as workflow templates write it. */
const POLICIES_TAG = /\{\{\s*policies\s*\}\}/g;

/** A discussion topic without its `{{policies}}` tags, and whether it had one. */
export function takePoliciesTag(text: string): { text: string; asked: boolean } {
  const stripped = text.replace(POLICIES_TAG, ' ').replace(/[ \t]+/g, ' ').trim();
  return { text: stripped, asked: stripped !== text.replace(/[ \t]+/g, ' ').trim() };
}
/** Clauses a prompt gets, and how much of each. */
export const POLICY_CONTEXT_CLAUSES = 5;
const MAX_CLAUSE_CHARS = 700;

/**
 * The clauses most relevant to `question` as Markdown ("- <Document> §4.2 Title (controls): text"),
 * or null when the tenant has no policy. A model call (the query's embedding): outside transactions.
 */
export async function policiesContext(services: GatewayServices, scope: TenantScope, question: string, options: { runId?: string; limit?: number } = {}): Promise<string | null> {
  if (!(await hasPolicies(services, scope))) return null;
  const query = question.trim() || 'security and privacy obligations';
  const found = await searchClauses(services, scope, query.slice(0, 1000), { limit: options.limit ?? POLICY_CONTEXT_CLAUSES, runId: options.runId });
  if (!found.items.length) return '(no clause of the team\'s policies matches this question)';
  return found.items
    .map((hit) => {
      const controls = hit.controls.length ? ` (${hit.controls.join(', ')})` : '';
      const text = hit.snippet.length > MAX_CLAUSE_CHARS ? `${hit.snippet.slice(0, MAX_CLAUSE_CHARS)}…` : hit.snippet;
      return `- ${hit.documentTitle} §${hit.number} ${hit.title}${controls}: ${text.replace(/\s*\n\s*/g, ' ')}`;
    })
    .join('\n');
}
