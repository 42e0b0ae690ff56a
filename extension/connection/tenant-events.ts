import type * as vscode from 'vscode';
import { openEventStream } from '#protocol/sse-client.ts';
import type { EventStream, SseMessage } from '#protocol/sse-client.ts';
import type { NyxClient } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';

export interface TenantEventHandlers {
  /** Runs on every (re)connection: changes made while the stream was down may be missed, so stores reload here. */
  onOpen(): void;
  onMessage(message: SseMessage): void;
}

/**
 * Opens the tenant event stream (`GET /api/v1/events`) for one store. It has no final event: the
 * client reconnects with backoff until closed, and each retry is logged as "<name> event stream".
 */
export function openTenantEvents(client: NyxClient, name: string, log: vscode.LogOutputChannel, handlers: TenantEventHandlers): EventStream {
  return openEventStream({
    url: client.tenantEventsUrl(),
    headers: () => client.authHeaders(),
    doneEvent: null,
    onOpen: () => handlers.onOpen(),
    onMessage: (message) => handlers.onMessage(message),
    onRetry: (error, attempt, delayMs) => log.warn(`${name} event stream: ${errorMessage(error)}; reconnecting in ${Math.round(delayMs)} ms (attempt ${attempt + 1})`),
  });
}
