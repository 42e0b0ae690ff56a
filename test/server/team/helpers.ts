// Shared by the team suites: a tenant whose providers point at the loopback fakes, a project,
// and readers for a run's event stream.
import assert from 'node:assert/strict';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openTestEventStream } from '../helpers/event-stream.ts';
import type { Persona } from '#protocol/personas.ts';
import { api } from '../helpers/http.ts';
import { sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { startProviderFakes, tenantWithProviders, type AiTenant, type ProviderFakes } from '../ai-api/helpers.ts';

export interface ParsedEvent {
  seq: number;
  type: string;
  data: any;
}

export function parseEvents(messages: SseMessage[]): ParsedEvent[] {
  return messages.map((message) => ({ seq: Number(message.id), type: message.event, data: JSON.parse(message.data).data }));
}

/** Reads a run's stream with the real client until `done` (or until `stopWhen` says to hang up). */
export async function readRunEvents(nyx: TestNyx, who: TestTenant, runId: string, options: { lastEventId?: string; stopWhen?: (event: ParsedEvent) => boolean } = {}) {
  const messages: SseMessage[] = [];
  const stream = openTestEventStream({
    url: `${nyx.url}/api/v1/runs/${runId}/events`,
    headers: { authorization: `Bearer ${who.token}` },
    lastEventId: options.lastEventId,
    initialDelayMs: 50,
    onMessage: (message) => {
      messages.push(message);
      const [event] = parseEvents([message]);
      if (options.stopWhen?.(event!)) stream.close();
    },
  });
  const end = await stream.ended;
  return { events: parseEvents(messages), end, lastEventId: stream.lastEventId };
}

export async function createProject(nyx: TestNyx, who: TestTenant, name = 'team-test', description = 'A payments service'): Promise<string> {
  const response = await api(nyx.url, 'POST', '/api/v1/projects', { token: who.token, body: { name, description } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

export async function builtInPersonas(nyx: TestNyx, who: TestTenant): Promise<Map<string, Persona>> {
  const response = await api<{ items: Persona[] }>(nyx.url, 'GET', '/api/v1/personas?builtIn=true', { token: who.token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return new Map(response.body.items.map((persona) => [persona.builtInKey!, persona]));
}

/** Words joined back exactly by the fake's word-by-word chunks. */
export function wordyText(label: string, words = 24): string {
  return Array.from({ length: words }, (_, i) => `${label}-w${i}`).join(' ');
}

export interface TeamFixture {
  nyx: TestNyx;
  /** Close them in the suite's `after`. */
  fakes: ProviderFakes;
  team: AiTenant;
  projectId: string;
  /** The built-in personas named, in that order. */
  personas: Persona[];
}

/** The shared server, the loopback providers, a team using them, a project, and built-in personas by key. */
export async function teamFixture(label: string, personaKeys: string[], projectName = 'team-test'): Promise<TeamFixture> {
  const nyx = await sharedNyx();
  const fakes = await startProviderFakes();
  const team = await tenantWithProviders(nyx, fakes, label);
  const projectId = await createProject(nyx, team, projectName);
  const library = await builtInPersonas(nyx, team);
  return { nyx, fakes, team, projectId, personas: personaKeys.map((key) => library.get(key)!) };
}
