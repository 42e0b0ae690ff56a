import type { MemorySearchHit } from '#protocol/memory.ts';
import type { Connection } from '../connection/connection.ts';
import { describeRelevance } from '../memory/relevance.ts';
import type { ProjectSelection, SelectedProject } from '../projects/project-selection.ts';

/** What `@nyx /memory` and the memory tool answer: the project's hybrid search, as Markdown. */

const TYPE_LABELS: Record<MemorySearchHit['type'], string> = {
  memory: 'memory',
  note: 'note',
  code_pattern: 'code pattern',
  workflow_insight: 'workflow insight',
};

export interface MemoryAnswer {
  project: SelectedProject;
  query: string;
  hits: MemorySearchHit[];
}

/** Searches the memory of the project the active folder works on. */
export async function searchProjectMemory(connection: Connection, selection: ProjectSelection, query: string, limit = 10): Promise<MemoryAnswer> {
  const client = connection.requireClient();
  const project = selection.current();
  if (!project) throw new Error('No Nyx project is selected for this folder: run "Nyx: Select Project" first.');
  const trimmed = query.trim();
  if (!trimmed) throw new Error('Say what to look for, e.g. "/memory how do we queue background jobs".');
  const result = await client.searchMemory(project.id, trimmed, Math.max(1, Math.min(limit, 50)));
  return { project, query: trimmed, hits: result.items };
}

/**
 * Each hit with its store and its relevance in the words of the memory search pick ("best match",
 * "strong", … and how it was found), never a raw fusion score.
 */
export function memoryMarkdown(answer: MemoryAnswer): string {
  if (answer.hits.length === 0) return `Nothing in ${answer.project.name}'s memory matches "${answer.query}".`;
  const best = Math.max(0, ...answer.hits.map((hit) => hit.score));
  const lines = answer.hits.map((hit) => {
    const relevance = describeRelevance(hit, best);
    return `- **${hit.title}** (${TYPE_LABELS[hit.type]}, ${relevance.word}, ${relevance.foundBy}): ${hit.snippet.replace(/\s+/g, ' ').trim()} (id \`${hit.id}\`)`;
  });
  return [`${answer.hits.length} from ${answer.project.name}'s memory for "${answer.query}":`, '', ...lines].join('\n');
}
