import type * as vscode from 'vscode';
import { discussionRoutes } from '#protocol/discussions.ts';
import type { DiscussionMode } from '#protocol/discussions.ts';
import type { Persona } from '#protocol/personas.ts';
import type { DiscussionViewState } from '#protocol/webview.ts';
import type { Connection } from '../connection/connection.ts';
import { editorContext } from '../discussions/discussion-context.ts';
import { applyDiscussionEvent, emptyTranscript } from '../discussions/discussion-transcript.ts';
import type { PickPersonas } from '../personas/persona-picker.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import { RunEventFeed } from '../runs/run-event-feed.ts';
import type { RunsStore } from '../runs/runs-store.ts';

/** The part of vscode.ChatResponseStream a chat answer writes to (tests pass a recorder). */
export type ChatOutput = Pick<vscode.ChatResponseStream, 'markdown' | 'progress' | 'button'>;

export interface ChatDiscussionDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  personas: { list(): Promise<Persona[]> };
  pickPersonas: PickPersonas;
  log: vscode.LogOutputChannel;
}

/** `/discuss +security-auditor +performance-engineer rounds:2 mode:parallel How should we…` */
export interface DiscussRequest {
  question: string;
  /** `+key` words: a built-in key, a persona's name (spaces as dashes) or id. */
  personaRefs: string[];
  rounds: number;
  mode: DiscussionMode;
}

const MODES: readonly DiscussionMode[] = ['debate', 'parallel', 'consensus'];

export function parseDiscussPrompt(prompt: string): DiscussRequest {
  const personaRefs: string[] = [];
  let rounds = 1;
  let mode: DiscussionMode = 'debate';
  const words: string[] = [];
  for (const word of prompt.trim().split(/\s+/).filter(Boolean)) {
    const roundsWord = /^rounds:(\d)$/i.exec(word);
    const modeWord = /^mode:(\w+)$/i.exec(word);
    if (word.startsWith('+') && word.length > 1) personaRefs.push(word.slice(1));
    else if (roundsWord) rounds = Math.min(5, Math.max(1, Number(roundsWord[1])));
    else if (modeWord && MODES.includes(modeWord[1]!.toLowerCase() as DiscussionMode)) mode = modeWord[1]!.toLowerCase() as DiscussionMode;
    else words.push(word);
  }
  return { question: words.join(' '), personaRefs, rounds, mode };
}

function slug(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The personas named with `+ref`; an unknown name is an error that lists the known keys. */
export function resolvePersonas(library: readonly Persona[], refs: readonly string[]): Persona[] {
  return refs.map((ref) => {
    const wanted = slug(ref);
    const found = library.find((persona) => persona.id === ref || persona.builtInKey === wanted || slug(persona.name) === wanted);
    if (!found) {
      const known = library.map((persona) => persona.builtInKey ?? slug(persona.name)).join(', ');
      throw new Error(`No persona "${ref}". Known: ${known}.`);
    }
    return found;
  });
}

/**
 * Starts a discussion run and writes it into the chat as it streams: the turn being written
 * token by token, later turns (parallel mode) once the earlier ones are complete, then the
 * synthesis. Cancelling the chat request stops following; the run goes on (the button opens it).
 */
export async function discussInChat(deps: ChatDiscussionDeps, request: DiscussRequest, output: ChatOutput, token: vscode.CancellationToken): Promise<{ runId: string; status: string }> {
  const client = deps.connection.requireClient();
  const project = deps.selection.current();
  if (!project) throw new Error('No Nyx project is selected for this folder: run "Nyx: Select Project" first.');
  if (!request.question) throw new Error('Ask a question, e.g. "/discuss +security-auditor +performance-engineer Should we cache sessions in Redis?"');
  let personas = resolvePersonas(await deps.personas.list(), request.personaRefs);
  if (personas.length < 2) {
    // Fewer than two named: the persona picker lets the user choose, with the named ones preselected.
    const picked = await deps.pickPersonas({ multi: true, min: 2, max: 6, title: 'Nyx: who discusses this? (2 to 6)', preselected: personas.map((persona) => persona.id) });
    if (!picked) {
      output.markdown('No discussion started: no personas were chosen.');
      return { runId: '', status: 'not started' };
    }
    personas = picked;
  }
  const context = editorContext();
  const run = await client.call(discussionRoutes.start, {
    body: { projectId: project.id, topic: request.question, personaIds: personas.map((persona) => persona.id), mode: request.mode, rounds: request.rounds, context: { ...context, findingIds: [] } },
  });
  deps.runs.apply(run);
  deps.log.info(`Chat: started discussion run ${run.id} (${personas.map((persona) => persona.name).join(', ')})`);
  output.progress(`${personas.map((persona) => persona.name).join(', ')} discuss (${request.mode}, ${request.rounds} round${request.rounds === 1 ? '' : 's'})…`);

  const writer = new TranscriptWriter(output);
  let state: DiscussionViewState = emptyTranscript(await client.call(discussionRoutes.get, { params: { runId: run.id } }));
  const feed = new RunEventFeed(client, run.id, undefined, deps.log);
  const cancelled = token.onCancellationRequested(() => feed.dispose());
  try {
    feed.onEvent((event) => {
      state = applyDiscussionEvent(state, event);
      writer.write(state);
    });
    await feed.ended;
  } finally {
    cancelled.dispose();
    feed.dispose();
  }
  if (token.isCancellationRequested) output.markdown('\n\n_Stopped following here; the discussion goes on._\n');
  else if (state.error) output.markdown(`\n\n**The discussion ${state.status}:** ${state.error}\n`);
  output.button({ command: 'nyx.openRun', title: 'Open the discussion', arguments: [run.id] });
  return { runId: run.id, status: state.status };
}

/** Writes a growing transcript to the chat exactly once, in order. */
class TranscriptWriter {
  private readonly output: ChatOutput;
  /** Characters of each turn already written. */
  private readonly written = new Map<number, number>();
  private open: number | undefined;
  private synthesisWritten = false;
  private announced = -1;

  constructor(output: ChatOutput) {
    this.output = output;
  }

  write(state: DiscussionViewState): void {
    for (const turn of state.turns) {
      const done = this.written.get(turn.turn);
      if (done !== undefined && this.open !== turn.turn && done >= turn.text.length) continue;
      if (this.open === undefined) {
        this.open = turn.turn;
        this.written.set(turn.turn, 0);
        this.output.markdown(`\n\n**${turn.personaName}** · round ${turn.round}\n\n`);
      }
      if (this.open !== turn.turn) break; // a later turn waits until this one is complete
      const from = this.written.get(turn.turn) ?? 0;
      if (turn.text.length > from) {
        this.output.markdown(turn.text.slice(from));
        this.written.set(turn.turn, turn.text.length);
      }
      if (!turn.complete) {
        if (this.announced !== turn.turn) this.output.progress(`${turn.personaName} is answering…`);
        this.announced = turn.turn;
        break;
      }
      this.open = undefined;
    }
    const allWritten = this.open === undefined && state.turns.every((turn) => (this.written.get(turn.turn) ?? -1) >= turn.text.length && turn.complete);
    if (state.synthesis && allWritten && !this.synthesisWritten) {
      this.synthesisWritten = true;
      const { bestApproach, consensusPoints, dissentPoints, nextSteps } = state.synthesis;
      const list = (items: string[]) => items.map((item) => `- ${item}`).join('\n');
      const parts = ['\n\n---\n\n### Synthesis\n\n', `**Best approach:** ${bestApproach}\n`];
      if (consensusPoints.length) parts.push(`\n**Consensus**\n\n${list(consensusPoints)}\n`);
      if (dissentPoints.length) parts.push(`\n**Dissent**\n\n${list(dissentPoints.map((dissent) => `${dissent.point} (${dissent.personas.join(', ')})`))}\n`);
      if (nextSteps.length) parts.push(`\n**Next steps**\n\n${list(nextSteps)}\n`);
      this.output.markdown(parts.join(''));
    }
  }
}
