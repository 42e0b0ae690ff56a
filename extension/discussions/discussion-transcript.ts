import { DISCUSSION_EVENT, DiscussionSynthesisEvent, DiscussionTurnCompleted, DiscussionTurnDelta, DiscussionTurnStarted } from '#protocol/discussions.ts';
import type { Discussion } from '#protocol/discussions.ts';
import { RUN_EVENT, RunDoneData, RunStatusData } from '#protocol/events.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import type { DiscussionBubble, DiscussionViewState } from '#protocol/webview.ts';

/** The view before any event: what GET /api/v1/discussions/:runId says about the discussion. */
export function emptyTranscript(discussion: Discussion): DiscussionViewState {
  return {
    runId: discussion.runId,
    topic: discussion.topic,
    mode: discussion.mode,
    rounds: discussion.rounds,
    status: discussion.status === 'pending' ? 'pending' : 'running',
    error: null,
    portraits: {},
    turns: [],
    synthesis: null,
    lastSeq: 0,
    live: true,
    implemented: null,
  };
}

/**
 * Applies one run event to the transcript. Replaying a run's events from the first one rebuilds
 * the whole conversation; events at or before `lastSeq` are ignored, so a resumed stream is safe.
 * In parallel mode the deltas of one round interleave: they are grouped by `turn`.
 */
export function applyDiscussionEvent(state: DiscussionViewState, event: RunEventMessage): DiscussionViewState {
  if (event.seq <= state.lastSeq) return state;
  const next = { ...state, lastSeq: event.seq };
  switch (event.type) {
    case DISCUSSION_EVENT.turnStarted: {
      const data = DiscussionTurnStarted.safeParse(event.data);
      if (data.success) next.turns = upsertTurn(next.turns, { ...data.data, text: '', complete: false, model: null });
      break;
    }
    case DISCUSSION_EVENT.turnDelta: {
      const data = DiscussionTurnDelta.safeParse(event.data);
      if (data.success) {
        const held = next.turns.find((turn) => turn.turn === data.data.turn);
        next.turns = upsertTurn(next.turns, { ...data.data, text: (held?.text ?? '') + data.data.text, complete: false, model: held?.model ?? null });
      }
      break;
    }
    case DISCUSSION_EVENT.turnCompleted: {
      // The completed event repeats the whole text: a client that joined late needs no deltas.
      const data = DiscussionTurnCompleted.safeParse(event.data);
      if (data.success) next.turns = upsertTurn(next.turns, { ...data.data, complete: true, model: data.data.model });
      break;
    }
    case DISCUSSION_EVENT.synthesis: {
      const data = DiscussionSynthesisEvent.safeParse(event.data);
      if (data.success) next.synthesis = data.data.synthesis;
      break;
    }
    case RUN_EVENT.status: {
      const data = RunStatusData.safeParse(event.data);
      if (data.success) next.status = data.data.status;
      break;
    }
    case RUN_EVENT.done: {
      const data = RunDoneData.safeParse(event.data);
      if (data.success) Object.assign(next, { status: data.data.status, error: data.data.error, live: false });
      break;
    }
  }
  return next;
}

function upsertTurn(turns: DiscussionBubble[], turn: DiscussionBubble): DiscussionBubble[] {
  const { round, turn: index, personaId, personaName, text, complete, model } = turn;
  const bubble = { round, turn: index, personaId, personaName, text, complete, model };
  const others = turns.filter((held) => held.turn !== index);
  return [...others, bubble].sort((a, b) => a.turn - b.turn);
}
