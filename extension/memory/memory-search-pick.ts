import * as vscode from 'vscode';
import type { MemorySearchHit } from '#protocol/memory.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import type { SelectedProject } from '../projects/project-selection.ts';
import { describeRelevance } from './relevance.ts';

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

const TYPE_LABELS: Record<MemorySearchHit['type'], { label: string; icon: string }> = {
  memory: { label: 'memory', icon: 'lightbulb' },
  note: { label: 'note', icon: 'note' },
  code_pattern: { label: 'code pattern', icon: 'symbol-snippet' },
  workflow_insight: { label: 'workflow insight', icon: 'run-all' },
};

interface HitItem extends vscode.QuickPickItem {
  hit: MemorySearchHit;
}

/**
 * A quick pick fed by the project's hybrid search (GET /projects/:id/memory/search) as the user
 * types: each hit with its store, its relevance as a bar and a word, and how it was found. Resolves with the picked
 * hit, undefined when dismissed. `onHits` hears every list shown (tests wait on it).
 */
export function pickMemoryHit(connection: Connection, project: SelectedProject, initialQuery: string, onHits: (hits: MemorySearchHit[]) => void, log: vscode.LogOutputChannel): Promise<MemorySearchHit | undefined> {
  const client = connection.requireClient();
  const pick = vscode.window.createQuickPick<HitItem>();
  const title = `Nyx: Search ${project.name}'s memory`;
  pick.title = title;
  pick.placeholder = 'Decisions, conventions, facts, notes, code patterns… (vector + full-text search)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.value = initialQuery;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: AbortController | undefined;

  const search = async (query: string) => {
    inFlight?.abort();
    if (!query.trim()) {
      pick.items = [];
      pick.busy = false;
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    pick.busy = true;
    try {
      const result = await client.searchMemory(project.id, query.trim(), 20, controller.signal);
      if (controller.signal.aborted) return;
      // alwaysShow: the server ranked these; the quick pick's own label filter must not hide them.
      const best = Math.max(0, ...result.items.map((hit) => hit.score));
      pick.items = result.items.map((hit) => ({ hit, alwaysShow: true, ...describeHit(hit, best) }));
      pick.title = `${title} (${result.items.length === 0 ? 'no matches' : `${result.items.length} found`})`;
      onHits(result.items);
    } catch (error) {
      if (controller.signal.aborted) return;
      pick.title = `${title}: ${errorMessage(error)}`;
      log.warn(`Memory search for "${query.trim()}" failed: ${errorMessage(error)}`);
    } finally {
      if (inFlight === controller) pick.busy = false;
    }
  };

  return new Promise((resolve) => {
    let picked: MemorySearchHit | undefined;
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(value), SEARCH_DELAY_MS);
    });
    pick.onDidAccept(() => {
      picked = pick.selectedItems[0]?.hit ?? pick.activeItems[0]?.hit;
      if (picked) pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      inFlight?.abort();
      pick.dispose();
      resolve(picked);
    });
    pick.show();
    if (initialQuery) void search(initialQuery);
  });
}

export function describeHit(hit: MemorySearchHit, best: number): Omit<vscode.QuickPickItem, 'alwaysShow'> {
  const type = TYPE_LABELS[hit.type];
  const relevance = describeRelevance(hit, best);
  return {
    label: `$(${type.icon}) ${hit.title}`,
    description: `${relevance.bar} ${relevance.word} · ${type.label} · ${relevance.foundBy}`,
    detail: hit.snippet,
  };
}
