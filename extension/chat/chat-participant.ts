import type * as vscode from 'vscode';
import type { FindingsStore } from '../analysis/findings-store.ts';
import { errorMessage } from '../api/errors.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { Connection } from '../connection/connection.ts';
import { discussInChat, parseDiscussPrompt } from './chat-discussion.ts';
import type { ChatDiscussionDeps, ChatOutput } from './chat-discussion.ts';
import { explainFinding, findingAtCursor, findingsMarkdown, listFindings, resolveFinding } from './findings-answers.ts';
import { memoryMarkdown, searchProjectMemory } from './memory-answers.ts';

/** The id in package.json `chatParticipants`; users type `@nyx`. */
export const CHAT_PARTICIPANT_ID = 'nyx.chat';

export interface ChatHandlerDeps extends ChatDiscussionDeps {
  connection: Connection;
  selection: ProjectSelection;
  findings: FindingsStore;
}

/** The part of vscode.ChatRequest the handler reads. */
export type ChatAsk = Pick<vscode.ChatRequest, 'command' | 'prompt'>;

const HELP = [
  'I am Nyx, your team\'s code analysis and AI team. Ask me with a command:',
  '',
  '- `/explain` a finding: the one at the cursor, or name it (its id, its rule such as `nyx/dangerous/dynamic-eval`, or `path:line`).',
  '- `/discuss` a question with chosen personas: `/discuss +security-auditor +performance-engineer Should sessions live in Redis?` (`rounds:2`, `mode:parallel|consensus` too; name fewer than two and the persona picker opens).',
  '- `/memory` search the project\'s memory: decisions, conventions, facts, notes and code patterns.',
].join('\n');

/**
 * What `@nyx` answers. Failures a user can fix are said in the chat, not thrown: the chat view
 * would show a bare error otherwise.
 */
export async function handleChatRequest(deps: ChatHandlerDeps, request: ChatAsk, output: ChatOutput, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  try {
    switch (request.command) {
      case 'explain':
        return explain(deps, request.prompt, output);
      case 'discuss': {
        const discussed = await discussInChat(deps, parseDiscussPrompt(request.prompt), output, token);
        return { metadata: { command: 'discuss', ...discussed } };
      }
      case 'memory': {
        output.progress('Searching the project memory…');
        output.markdown(memoryMarkdown(await searchProjectMemory(deps.connection, deps.selection, request.prompt)));
        return { metadata: { command: 'memory' } };
      }
      default:
        output.markdown(HELP);
        return { metadata: { command: 'help' } };
    }
  } catch (error) {
    output.markdown(`**Nyx:** ${errorMessage(error)}`);
    return { errorDetails: { message: errorMessage(error) }, metadata: { command: request.command ?? 'help' } };
  }
}

function explain(deps: ChatHandlerDeps, prompt: string, output: ChatOutput): vscode.ChatResult {
  const finding = prompt.trim() ? resolveFinding(deps.findings, prompt) : findingAtCursor(deps.findings);
  if (!finding) {
    const open = listFindings(deps.findings, { limit: 20 });
    output.markdown(
      open.length === 0
        ? 'There are no open Nyx findings in this workspace (run "Nyx: Analyze Workspace" first).'
        : `${prompt.trim() ? `No open finding matches "${prompt.trim()}".` : 'No finding at the cursor.'} Name one of these (its id or rule):\n\n${findingsMarkdown(open)}`,
    );
    return { metadata: { command: 'explain', findingId: null } };
  }
  output.markdown(explainFinding(deps.findings, finding));
  output.button({ command: 'nyx.askPersonaToFix', title: 'Ask a persona to fix it', arguments: [finding.id] });
  return { metadata: { command: 'explain', findingId: finding.id } };
}
