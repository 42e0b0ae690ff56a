import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isEnvelope } from '#protocol/webview.ts';
import type { HostMessage, MethodTable, RequestMessage, ResponseMessage, WebviewMessage } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import { Disposable } from '../lifecycle.ts';

export type RequestHandlers<M extends MethodTable> = { [K in keyof M & string]: (params: M[K]['params']) => Promise<M[K]['result']> | M[K]['result'] };

export interface WebviewHostOptions<HostMethods extends MethodTable> {
  panel: vscode.WebviewPanel;
  extensionUri: vscode.Uri;
  /** webviews/<surface>/main.ts, built to dist/webviews/<surface>.js (+ .css). */
  surface: string;
  handlers: RequestHandlers<HostMethods>;
  log: vscode.LogOutputChannel;
}

/** How long the host waits for the webview to answer one of its requests. */
const VIEW_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The one host for every Nyx webview (protocol/webview.ts): a strict CSP with a nonce, resources
 * only from dist/webviews, nothing posted before the webview says `ready` (posts before that are
 * lost), requests both ways answered by `seq`. The latest state is re-posted on every `ready`,
 * which also covers a webview that VS Code re-created after it was hidden.
 */
export class WebviewHost<State, HostMethods extends MethodTable, ViewMethods extends MethodTable> extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly becameReady = this.register(new vscode.EventEmitter<void>());
  readonly onDidBecomeReady = this.becameReady.event;
  private ready = false;
  private state: State | undefined;
  private nextSeq = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private readonly options: WebviewHostOptions<HostMethods>;

  constructor(options: WebviewHostOptions<HostMethods>) {
    super();
    this.options = options;
    this.panel = options.panel;
    const webviewRoot = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webviews');
    this.panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    this.panel.webview.html = renderHtml(this.panel.webview, webviewRoot, options.surface, this.panel.title);
    this.register(this.panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)));
    this.register(this.panel.onDidDispose(() => this.dispose()));
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Replaces the webview's state; posted now if the webview is ready, else on `ready`. */
  setState(state: State): void {
    this.state = state;
    if (this.ready) this.post({ type: 'state', state });
  }

  /** Asks the webview; waits for `ready` first. */
  async request<K extends keyof ViewMethods & string>(method: K, params: ViewMethods[K]['params']): Promise<ViewMethods[K]['result']> {
    if (!this.ready) await new Promise<void>((resolve) => this.onDidBecomeReady(() => resolve()));
    const seq = this.nextSeq++;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new Error(`The ${this.options.surface} webview did not answer ${method} within ${VIEW_REQUEST_TIMEOUT_MS} ms`));
      }, VIEW_REQUEST_TIMEOUT_MS);
      this.pending.set(seq, { resolve, reject, timer });
    });
    this.post({ type: 'request', seq, method, params } as RequestMessage<ViewMethods>);
    return answer as Promise<ViewMethods[K]['result']>;
  }

  private async receive(message: unknown): Promise<void> {
    if (!isEnvelope(message)) return;
    const typed = message as WebviewMessage<HostMethods>;
    if (typed.type === 'ready') {
      this.ready = true;
      if (this.state !== undefined) this.post({ type: 'state', state: this.state });
      this.becameReady.fire();
    } else if (typed.type === 'response') {
      this.settle(typed);
    } else if (typed.type === 'request') {
      this.post(await this.answer(typed));
    }
  }

  private async answer(request: RequestMessage<HostMethods>): Promise<ResponseMessage> {
    const handler = this.options.handlers[request.method] as ((params: unknown) => unknown) | undefined;
    if (!handler) return { type: 'response', seq: request.seq, ok: false, error: `Unknown request ${request.method}` };
    try {
      return { type: 'response', seq: request.seq, ok: true, result: (await handler(request.params)) ?? null };
    } catch (error) {
      this.options.log.warn(`${this.options.surface} webview: ${request.method} failed: ${errorMessage(error)}`);
      return { type: 'response', seq: request.seq, ok: false, error: errorMessage(error) };
    }
  }

  private settle(response: ResponseMessage): void {
    const waiting = this.pending.get(response.seq);
    if (!waiting) return;
    this.pending.delete(response.seq);
    clearTimeout(waiting.timer);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new Error(response.error));
  }

  private post(message: HostMessage<State, ViewMethods> | ResponseMessage): void {
    void this.panel.webview.postMessage(message);
  }

  override dispose(): void {
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`The ${this.options.surface} webview was closed`));
    }
    this.pending.clear();
    super.dispose();
  }
}

function renderHtml(webview: vscode.Webview, root: vscode.Uri, surface: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${surface}.js`));
  const styles = webview.asWebviewUri(vscode.Uri.joinPath(root, `${surface}.css`));
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // id="vscode-codicon-stylesheet": @vscode-elements looks the codicon font up by that id.
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${styles}" id="vscode-codicon-stylesheet" nonce="${nonce}">
  <title>${escapeHtml(title)}</title>
</head>
<body>
  <main id="root" aria-live="polite"></main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
