import type * as vscode from 'vscode';
import type { PolicySearchHit } from '#protocol/policies.ts';
import type { Connection } from '../connection/connection.ts';
import { searchAsYouType } from '../search-as-you-type.ts';
import { policiesApi } from './policies-api.ts';

/**
 * A quick pick fed by the policies' hybrid search (GET /api/v1/policies/search) as the user types:
 * each clause with its policy, number, the controls it supports and which rankings found it.
 * Resolves with the picked clause's id, undefined when dismissed.
 */
export async function searchPoliciesPick(connection: Connection, log: vscode.LogOutputChannel): Promise<{ clauseId: string; title: string } | undefined> {
  const client = connection.requireClient();
  const hit = await searchAsYouType<PolicySearchHit>(
    {
      title: 'Nyx: Search Policies',
      placeholder: 'Ask as you would ask a colleague: "how long do we keep logs?" (vector + full-text search)',
      what: 'Policy search',
      async search(query, signal) {
        const result = await policiesApi.search(client, { q: query, limit: 15 }, signal);
        const items = result.items.map((hit) => ({
          hit,
          label: `$(law) ${hit.documentTitle} §${hit.number} ${hit.title}`,
          description: [...hit.cwes, ...hit.controls].join(', '),
          detail: `${hit.snippet.replace(/\s+/g, ' ').slice(0, 160)} · ${[hit.vectorRank ? 'meaning' : '', hit.textRank ? 'words' : ''].filter(Boolean).join(' + ')}`,
        }));
        return { items, titleNote: result.ranking.mode === 'text-only' ? 'by words only' : undefined };
      },
    },
    log,
  );
  return hit && { clauseId: hit.clauseId, title: hit.title };
}
