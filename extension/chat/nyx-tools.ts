import * as vscode from 'vscode';
import type { Severity } from '#protocol/findings.ts';
import type { FindingsStore } from '../analysis/findings-store.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import { explainFinding, findingAtCursor, findingsMarkdown, listFindings, resolveFinding } from './findings-answers.ts';
import { memoryMarkdown, searchProjectMemory } from './memory-answers.ts';

/**
 * The language model tools (package.json `languageModelTools`, same names): what `@nyx` can
 * answer, for agent modes and any extension (vscode.lm.invokeTool). All three only read.
 */
export const NYX_TOOL = {
  findings: 'nyx_findings',
  explainFinding: 'nyx_explain_finding',
  searchMemory: 'nyx_search_memory',
} as const;

export interface FindingsToolInput {
  path?: string;
  severity?: Severity;
  ruleId?: string;
  limit?: number;
}

export interface ExplainFindingToolInput {
  /** A finding id, a rule id or `path:line`; none = the finding at the cursor. */
  finding?: string;
}

export interface SearchMemoryToolInput {
  query: string;
  limit?: number;
}

export interface NyxToolsDeps {
  connection: Connection;
  selection: ProjectSelection;
  findings: FindingsStore;
}

function text(markdown: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(markdown)]);
}

/** Registers the tools; a host without the language model API (older VS Code) gets none. */
export function registerNyxTools(deps: NyxToolsDeps, log: vscode.LogOutputChannel): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('This editor has no language model tools API: the Nyx tools are not registered');
    return [];
  }
  return [
    vscode.lm.registerTool<FindingsToolInput>(NYX_TOOL.findings, {
      prepareInvocation: () => ({ invocationMessage: 'Reading the open Nyx findings' }),
      invoke: (options) => {
        const { path, severity, ruleId, limit } = options.input ?? {};
        if (deps.findings.watched().length === 0) return text('No folder of this workspace works on a Nyx project, so there are no findings. The user can run "Nyx: Select Project" and "Nyx: Analyze Workspace".');
        return text(findingsMarkdown(listFindings(deps.findings, { path, severity, ruleId, limit })));
      },
    }),
    vscode.lm.registerTool<ExplainFindingToolInput>(NYX_TOOL.explainFinding, {
      prepareInvocation: (options) => ({ invocationMessage: options.input?.finding ? `Explaining the Nyx finding ${options.input.finding}` : 'Explaining the Nyx finding at the cursor' }),
      invoke: (options) => {
        const reference = options.input?.finding?.trim();
        const finding = reference ? resolveFinding(deps.findings, reference) : findingAtCursor(deps.findings);
        if (!finding) {
          throw new Error(reference ? `No open Nyx finding matches "${reference}"; ${NYX_TOOL.findings} lists them with their ids.` : `No Nyx finding at the cursor; ${NYX_TOOL.findings} lists them with their ids.`);
        }
        return text(explainFinding(deps.findings, finding));
      },
    }),
    vscode.lm.registerTool<SearchMemoryToolInput>(NYX_TOOL.searchMemory, {
      prepareInvocation: (options) => ({ invocationMessage: `Searching the project memory for "${options.input?.query ?? ''}"` }),
      invoke: async (options) => {
        const query = options.input?.query;
        if (typeof query !== 'string' || !query.trim()) throw new Error('query: say what to look for in the project memory');
        return text(memoryMarkdown(await searchProjectMemory(deps.connection, deps.selection, query, options.input.limit)));
      },
    }),
  ];
}
