import * as vscode from 'vscode';
import { DiscussionMode, discussionRoutes } from '#protocol/discussions.ts';
import type { Run } from '#protocol/runs.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { PickPersonas } from '../personas/persona-picker.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { editorContext } from './discussion-context.ts';
import { requireProvider } from '../providers/require-provider.ts';

/** Arguments for scripted use; whatever is missing is asked for. */
export interface StartDiscussionArgs {
  topic?: string;
  personaIds?: string[];
  mode?: DiscussionMode;
  rounds?: number;
  /** Findings of the selected project the discussion is about. */
  findingIds?: string[];
  /** Default true: the active editor's file and selection go along as context. */
  includeEditor?: boolean;
}

const MODES: Array<{ mode: DiscussionMode; label: string; detail: string }> = [
  { mode: 'debate', label: '$(comment-discussion) Debate', detail: 'Round-robin: each persona answers in turn, challenging and supporting what was said' },
  { mode: 'parallel', label: '$(split-horizontal) Parallel opinions', detail: 'Every persona answers at once each round, seeing only earlier rounds' },
  { mode: 'consensus', label: '$(pass) Consensus', detail: 'Round-robin, converging on one joint approach by the last round' },
];

export interface StartDiscussionDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  /** Opens the conversation view of a discussion run. */
  panels: { show(runId: string): unknown };
  pick: PickPersonas;
  log: vscode.LogOutputChannel;
}

/**
 * "Nyx: Start Discussion...": a topic, 2 to 6 personas from the picker, a mode and a number of
 * rounds; the active editor's file and selection are the context. Starts a `discussion` run and
 * opens its conversation view.
 */
export function registerStartDiscussionCommand(deps: StartDiscussionDeps): vscode.Disposable {
  return registerCommand('nyx.startDiscussion', deps.log, async (args: StartDiscussionArgs = {}): Promise<Run | undefined> => {
    const client = deps.connection.requireClient();
    await requireProvider(client, 'A discussion');
    if (!deps.selection.current()) await vscode.commands.executeCommand('nyx.selectProject');
    const project = deps.selection.current();
    if (!project) return undefined;
    const context = args.includeEditor === false ? { files: [], selection: null } : editorContext();

    const topic =
      args.topic ??
      (await vscode.window.showInputBox({
        title: 'Nyx: Start Discussion (1/4): topic',
        prompt: context.selection ? `About lines ${context.selection.startLine}-${context.selection.endLine} of ${context.selection.path}` : context.files[0] ? `With ${context.files[0].path} as context` : 'No editor open: the topic alone',
        placeHolder: 'e.g. How should this endpoint validate its input?',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'What should the team discuss?'),
      }));
    if (!topic?.trim()) return undefined;
    const personaIds = args.personaIds ?? (await deps.pick({ multi: true, min: 2, max: 6, title: 'Nyx: Start Discussion (2/4): choose 2 to 6 personas' }))?.map((persona) => persona.id);
    if (!personaIds) return undefined;
    const mode = args.mode ?? (await vscode.window.showQuickPick(MODES, { title: 'Nyx: Start Discussion (3/4): mode', ignoreFocusOut: true }))?.mode;
    if (!mode) return undefined;
    const rounds =
      args.rounds ??
      Number(
        (
          await vscode.window.showQuickPick(
            [1, 2, 3, 4, 5].map((count) => ({ label: String(count), description: count === 2 ? 'default' : undefined, picked: count === 2 })),
            { title: 'Nyx: Start Discussion (4/4): rounds', ignoreFocusOut: true },
          )
        )?.label ?? NaN,
      );
    if (!Number.isInteger(rounds)) return undefined;

    const run = await client.call(discussionRoutes.start, {
      body: { projectId: project.id, topic: topic.trim(), personaIds, mode, rounds, context: { ...context, findingIds: args.findingIds ?? [] } },
    });
    deps.runs.apply(run);
    deps.log.info(`Started discussion run ${run.id} in "${project.name}" (${personaIds.length} personas, ${mode}, ${rounds} rounds)`);
    deps.panels.show(run.id);
    return run;
  });
}
