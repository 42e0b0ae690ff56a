import * as vscode from 'vscode';
import { errorMessage } from './api/errors.ts';

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

export type HitItem<Hit> = vscode.QuickPickItem & { hit: Hit };

export interface SearchAsYouType<Hit> {
  title: string;
  placeholder: string;
  initialQuery?: string;
  /** What the log calls it when a search fails, e.g. "Memory search". */
  what: string;
  /** The server's answer as rows, and a note the title adds after "N found". */
  search(query: string, signal: AbortSignal): Promise<{ items: HitItem<Hit>[]; titleNote?: string }>;
}

/**
 * A quick pick fed by a server search as the user types (memory, policies): the server ranks,
 * so the pick's own filter never hides a row; a newer query aborts the one in flight; the title
 * says how many were found or why the search failed. Resolves with the picked hit, undefined
 * when dismissed.
 */
export function searchAsYouType<Hit>(options: SearchAsYouType<Hit>, log: vscode.LogOutputChannel): Promise<Hit | undefined> {
  const pick = vscode.window.createQuickPick<HitItem<Hit>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.value = options.initialQuery ?? '';
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
      const result = await options.search(query.trim(), controller.signal);
      if (controller.signal.aborted) return;
      pick.items = result.items.map((item) => ({ ...item, alwaysShow: true }));
      const count = result.items.length === 0 ? 'no matches' : `${result.items.length} found`;
      pick.title = `${options.title} (${count}${result.titleNote ? `, ${result.titleNote}` : ''})`;
    } catch (error) {
      if (controller.signal.aborted) return;
      pick.title = `${options.title}: ${errorMessage(error)}`;
      log.warn(`${options.what} for "${query.trim()}" failed: ${errorMessage(error)}`);
    } finally {
      if (inFlight === controller) pick.busy = false;
    }
  };

  return new Promise((resolve) => {
    let picked: Hit | undefined;
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
    if (pick.value) void search(pick.value);
  });
}
