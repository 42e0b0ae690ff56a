// The webview side of protocol/webview.ts: says `ready`, receives state, and exchanges requests
// with the extension host by `seq`. One per webview surface.
import { isEnvelope } from '#protocol/webview.ts';
import type { HostMessage, MethodTable, RequestMessage, ResponseMessage } from '#protocol/webview.ts';

interface VsCodeApi<Persisted> {
  postMessage(message: unknown): void;
  getState(): Persisted | undefined;
  setState(state: Persisted): void;
}

declare function acquireVsCodeApi<Persisted>(): VsCodeApi<Persisted>;

export type ViewHandlers<M extends MethodTable> = { [K in keyof M & string]: (params: M[K]['params']) => Promise<M[K]['result']> | M[K]['result'] };

export interface HostChannel<HostMethods extends MethodTable, Persisted> {
  request<K extends keyof HostMethods & string>(method: K, params: HostMethods[K]['params']): Promise<HostMethods[K]['result']>;
  /** What survives a reload of the window: VS Code hands it to the panel serializer, and back to getState(). */
  persist(state: Persisted): void;
  restored(): Persisted | undefined;
}

/**
 * Connects to the host. `onState` runs for every state the host posts; `handlers` answer the host's
 * requests. `ready` goes out last, once the listener is in place, so the first state is never lost.
 */
export function connectToHost<State, HostMethods extends MethodTable, ViewMethods extends MethodTable, Persisted>(options: {
  onState(state: State): void;
  handlers: ViewHandlers<ViewMethods>;
}): HostChannel<HostMethods, Persisted> {
  const vscode = acquireVsCodeApi<Persisted>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextSeq = 1;

  async function answer(request: RequestMessage<ViewMethods>): Promise<ResponseMessage> {
    const handler = options.handlers[request.method] as ((params: unknown) => unknown) | undefined;
    if (!handler) return { type: 'response', seq: request.seq, ok: false, error: `Unknown request ${request.method}` };
    try {
      return { type: 'response', seq: request.seq, ok: true, result: (await handler(request.params)) ?? null };
    } catch (error) {
      return { type: 'response', seq: request.seq, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  window.addEventListener('message', (event: MessageEvent) => {
    if (!isEnvelope(event.data)) return;
    const message = event.data as HostMessage<State, ViewMethods>;
    if (message.type === 'state') {
      options.onState(message.state);
    } else if (message.type === 'request') {
      void answer(message).then((response) => vscode.postMessage(response));
    } else if (message.type === 'response') {
      const waiting = pending.get(message.seq);
      if (!waiting) return;
      pending.delete(message.seq);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(message.error));
    }
  });
  vscode.postMessage({ type: 'ready' });

  return {
    request(method, params) {
      const seq = nextSeq++;
      vscode.postMessage({ type: 'request', seq, method, params });
      return new Promise((resolve, reject) => pending.set(seq, { resolve: resolve as (value: unknown) => void, reject }));
    },
    persist: (state) => vscode.setState(state),
    restored: () => vscode.getState(),
  };
}
