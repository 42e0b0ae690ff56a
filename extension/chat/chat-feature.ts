import * as vscode from 'vscode';
import { Disposable } from '../lifecycle.ts';
import type { ChatOutput } from './chat-discussion.ts';
import { CHAT_PARTICIPANT_ID, handleChatRequest } from './chat-participant.ts';
import type { ChatAsk, ChatHandlerDeps } from './chat-participant.ts';
import { registerNyxTools } from './nyx-tools.ts';

/**
 * `@nyx` in VS Code's Chat view (/explain, /discuss, /memory) and the same read-only abilities as
 * language model tools for agent modes. Both use what the editor already holds (findings) or
 * the server (memory, discussions); neither needs a chat model of its own.
 */
export class ChatFeature extends Disposable {
  private readonly deps: ChatHandlerDeps;
  /** Undefined in an editor without the Chat API. */
  readonly participant: vscode.ChatParticipant | undefined;

  constructor(deps: ChatHandlerDeps & { extensionUri: vscode.Uri }) {
    super();
    this.deps = deps;
    for (const tool of registerNyxTools(deps, deps.log)) this.register(tool);
    if (typeof vscode.chat?.createChatParticipant === 'function') {
      this.participant = this.register(vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, (request, _context, stream, token) => this.handle(request, stream, token)));
      this.participant.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'nyx.svg');
    } else {
      deps.log.info('This editor has no Chat API: @nyx is not available');
    }
  }

  /** What the participant does with a request (tests call it with a recording stream). */
  handle(request: ChatAsk, output: ChatOutput, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    return handleChatRequest(this.deps, request, output, token);
  }
}
