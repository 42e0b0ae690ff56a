import * as vscode from 'vscode';
import type { MemorySearchHit } from '#protocol/memory.ts';
import type { Connection } from '../connection/connection.ts';
import type { SelectedProject } from '../projects/project-selection.ts';
import { searchAsYouType } from '../search-as-you-type.ts';
import { describeRelevance } from './relevance.ts';

const TYPE_LABELS: Record<MemorySearchHit['type'], { label: string; icon: string }> = {
  memory: { label: 'memory', icon: 'lightbulb' },
  note: { label: 'note', icon: 'note' },
  code_pattern: { label: 'code pattern', icon: 'symbol-snippet' },
  workflow_insight: { label: 'workflow insight', icon: 'run-all' },
};

/**
 * A quick pick fed by the project's hybrid search (GET /projects/:id/memory/search) as the user
 * types: each hit with its store, its relevance as a bar and a word, and how it was found.
 * Resolves with the picked hit, undefined when dismissed. `onHits` hears every list shown (tests
 * wait on it).
 */
export function pickMemoryHit(connection: Connection, project: SelectedProject, initialQuery: string, onHits: (hits: MemorySearchHit[]) => void, log: vscode.LogOutputChannel): Promise<MemorySearchHit | undefined> {
  const client = connection.requireClient();
  return searchAsYouType<MemorySearchHit>(
    {
      title: `Nyx: Search ${project.name}'s memory`,
      placeholder: 'Decisions, conventions, facts, notes, code patterns… (vector + full-text search)',
      initialQuery,
      what: 'Memory search',
      async search(query, signal) {
        const result = await client.searchMemory(project.id, query, 20, signal);
        const best = Math.max(0, ...result.items.map((hit) => hit.score));
        const items = result.items.map((hit) => ({ hit, ...describeHit(hit, best) }));
        onHits(result.items);
        return { items };
      },
    },
    log,
  );
}

export function describeHit(hit: MemorySearchHit, best: number): Omit<vscode.QuickPickItem, 'alwaysShow'> {
  const type = TYPE_LABELS[hit.type];
  const relevance = describeRelevance(hit, best);
  const snippet = hit.snippet.replace(/\s+/g, ' ').trim();
  // The relevance opens the second line: a long title would push a description out of sight.
  const about = `${relevance.bar} ${relevance.word} · ${type.label} · ${relevance.foundBy}`;
  return {
    label: `$(${type.icon}) ${hit.title}`,
    detail: snippet && snippet !== hit.title.trim() ? `${about} — ${snippet}` : about,
  };
}
