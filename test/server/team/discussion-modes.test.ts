import assert from 'node:assert/strict';
import type { Discussion, DiscussionSynthesis } from '#protocol/discussions.ts';
import type { Persona } from '#protocol/personas.ts';
import type { TestNyx } from '../helpers/nyx.ts';
import type { AiTenant, ProviderFakes } from '../ai-api/helpers.ts';
import { readRunEvents, teamFixture, wordyText } from './helpers.ts';

const SYNTHESIS: DiscussionSynthesis = {
  bestApproach: 'Cache per tenant with a short TTL and invalidate on write.',
  consensusPoints: ['Invalidate on write'],
  dissentPoints: [],
  nextSteps: ['Measure the hit rate'],
};

/** The user message a turn's model request carried (the fake records requests in arrival order). */
const userMessage = (request: { body: { messages: Array<{ content: unknown }> } }) => JSON.stringify(request.body.messages);

describe('team: discussion modes', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let team: AiTenant;
  let projectId: string;
  let personas: Persona[];

  before(async () => ({ nyx, fakes, team, projectId, personas } = await teamFixture('modes', ['security-auditor', 'performance-engineer', 'software-architect'])));
  after(() => fakes.close());

  async function discuss(mode: 'parallel' | 'consensus', rounds: number, speakers: Persona[], texts: string[]) {
    fakes.anthropic.plan(...texts.map((text) => ({ text, chunkDelayMs: 8 })), { json: SYNTHESIS });
    const before = fakes.anthropic.requests.length;
    const start = await team.client.call('POST', '/api/v1/discussions', {
      body: { projectId, topic: 'Should the catalogue be cached?', personaIds: speakers.map((p) => p.id), mode, rounds },
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { events, end } = await readRunEvents(nyx, team, start.body.id);
    assert.equal(end.reason, 'done');
    assert.equal(events.at(-1)!.data.status, 'succeeded', JSON.stringify(events.at(-1)));
    return { runId: start.body.id as string, events, requests: fakes.anthropic.requests.slice(before) };
  }

  it('parallel: a round\'s personas speak at once, each seeing only the rounds before', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => wordyText(`par${i}`, 20));
    const { runId, events, requests } = await discuss('parallel', 2, personas, texts);
    assert.equal(requests.length, 7, 'six turns and the synthesis');

    // All three turns of round 1 start before any of them completes: they run at the same time.
    const roundOne = events.filter((e) => e.data.round === 1);
    const firstCompleted = roundOne.findIndex((e) => e.type === 'discussion.turn.completed');
    assert.equal(roundOne.slice(0, firstCompleted).filter((e) => e.type === 'discussion.turn.started').length, 3);

    // Round 1 saw nobody; round 2 saw all of round 1 and none of round 2. Which persona got which
    // planned text depends on arrival order, so the check is on the sets.
    for (const request of requests.slice(0, 3)) {
      assert.match(userMessage(request), /Nobody has spoken yet/);
      assert.match(userMessage(request), /independent opinion/);
      assert.match(JSON.stringify(request.body.system), /parallel discussion/);
    }
    const stored = await team.client.call<Discussion>('GET', `/api/v1/discussions/${runId}`);
    const roundOneTexts = stored.body.turns.filter((t) => t.round === 1).map((t) => t.content);
    const roundTwoTexts = stored.body.turns.filter((t) => t.round === 2).map((t) => t.content);
    assert.deepEqual([...roundOneTexts, ...roundTwoTexts].sort(), [...texts].sort());
    for (const request of requests.slice(3, 6)) {
      for (const text of roundOneTexts) assert.ok(userMessage(request).includes(text.split(' ').at(-1)!), 'round 2 sees every round-1 turn');
      for (const text of roundTwoTexts) assert.ok(!userMessage(request).includes(text.split(' ').at(-1)!), 'round 2 does not see its own round');
      assert.match(userMessage(request), /refine your opinion/);
    }
  });

  it('consensus: turns take turns building on the proposal, and the last round converges', async () => {
    const speakers = personas.slice(0, 2);
    const texts = Array.from({ length: 6 }, (_, i) => wordyText(`con${i}`, 12));
    const { events, requests } = await discuss('consensus', 3, speakers, texts);
    // Round-robin: strictly one turn after another, in persona order, three rounds.
    const started = events.filter((e) => e.type === 'discussion.turn.started').map((e) => [e.data.round, e.data.personaId]);
    assert.deepEqual(started, [1, 2, 3].flatMap((round) => speakers.map((p) => [round, p.id])));
    const completedBeforeNextStart = events
      .filter((e) => e.type === 'discussion.turn.started' || e.type === 'discussion.turn.completed')
      .map((e) => e.type.endsWith('started') ? 'S' : 'C')
      .join('');
    assert.equal(completedBeforeNextStart, 'SC'.repeat(6));
    for (const [i, request] of requests.slice(0, 6).entries()) {
      const finalRound = i >= 4;
      assert.match(JSON.stringify(request.body.system), /consensus discussion/);
      assert.match(userMessage(request), finalRound ? /final round: state the joint approach/ : /Work towards one approach/);
      // Each turn sees every turn before it.
      for (const earlier of texts.slice(0, i)) assert.ok(userMessage(request).includes(earlier.split(' ').at(-1)!), `turn ${i} sees ${earlier.slice(0, 8)}`);
    }
    const synthesis = events.find((e) => e.type === 'discussion.synthesis')!;
    assert.deepEqual(synthesis.data.synthesis, SYNTHESIS);
  });
});
