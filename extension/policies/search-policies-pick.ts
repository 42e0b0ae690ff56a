import * as vscode from 'vscode';
import type { PolicySearchHit } from '#protocol/policies.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { policiesApi } from './policies-api.ts';

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

interface HitItem extends vscode.QuickPickItem {
  hit: PolicySearchHit;
}

/**
 * A quick pick fed by the policies' hybrid search (GET /api/v1/policies/search) as the user types:
 * each clause with its policy, number, the controls it supports and which rankings found it.
 * Resolves with the picked clause's id, undefined when dismissed.
 */
export function searchPoliciesPick(connection: Connection, log: vscode.LogOutputChannel): Promise<{ clauseId: string; title: string } | undefined> {
  const client = connection.requireClient();
  const pick = vscode.window.createQuickPick<HitItem>();
  const title = 'Nyx: Search Policies';
  pick.title = title;
  pick.placeholder = 'Ask as you would ask a colleague: "how long do we keep logs?" (vector + full-text search)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
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
      const result = await policiesApi.search(client, { q: query.trim(), limit: 15 }, controller.signal);
      if (controller.signal.aborted) return;
      // alwaysShow: the server ranked these; the quick pick's own label filter must not hide them.
      pick.items = result.items.map((hit) => ({
        hit,
        alwaysShow: true,
        label: `$(law) ${hit.documentTitle} §${hit.number} ${hit.title}`,
        description: [...hit.cwes, ...hit.controls].join(', '),
        detail: `${hit.snippet.replace(/\s+/g, ' ').slice(0, 160)} · ${[hit.vectorRank ? 'meaning' : '', hit.textRank ? 'words' : ''].filter(Boolean).join(' + ')}`,
      }));
      pick.title = `${title} (${result.items.length === 0 ? 'no matches' : `${result.items.length} found`}${result.ranking.mode === 'text-only' ? ', by words only' : ''})`;
    } catch (error) {
      if (controller.signal.aborted) return;
      pick.title = `${title}: ${errorMessage(error)}`;
      log.warn(`Policy search for "${query.trim()}" failed: ${errorMessage(error)}`);
    } finally {
      if (inFlight === controller) pick.busy = false;
    }
  };

  return new Promise((resolve) => {
    let picked: { clauseId: string; title: string } | undefined;
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => void search(value), SEARCH_DELAY_MS);
    });
    pick.onDidAccept(() => {
      const hit = pick.selectedItems[0]?.hit ?? pick.activeItems[0]?.hit;
      if (!hit) return;
      picked = { clauseId: hit.clauseId, title: hit.title };
      pick.hide();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      inFlight?.abort();
      pick.dispose();
      resolve(picked);
    });
    pick.show();
  });
}
