import * as vscode from 'vscode';
import { PERSONA_CHANGED_EVENT, PersonaChangedData, personaRoutes } from '#protocol/personas.ts';
import type { Persona } from '#protocol/personas.ts';
import type { EventStream } from '#protocol/sse-client.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection, ConnectionState } from '../connection/connection.ts';
import { openTenantEvents } from '../connection/tenant-events.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import { fetchPortraitDataUri } from './portraits.ts';

/**
 * The tenant's personas and their portraits, for every feature that shows or picks personas.
 * Listens for `persona.changed` on the tenant stream (`GET /api/v1/events`) while connected, drops
 * the cached list and fires onDidChange, so an open picker refreshes live. The stream is opened on
 * first use, not at activation: a window that never picks a persona holds no extra connection.
 */
export class PersonasStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private cached: Promise<Persona[]> | undefined;
  /** data: URIs by `<id>@<updatedAt>`, so an edited persona's new portrait is fetched again. */
  private readonly portraits = new Map<string, Promise<string>>();
  private stream: EventStream | undefined;
  private following = false;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(connection.onDidChange((state) => this.follow(state)));
    this.register(toDisposable(() => this.stream?.close()));
  }

  /** Every persona of the tenant (built-ins are seeded by the server on first use). */
  list(): Promise<Persona[]> {
    this.startFollowing();
    if (!this.cached) {
      const client = this.connection.requireClient();
      this.cached = client.call(personaRoutes.list).then((answer) => answer.items);
      this.cached.catch(() => (this.cached = undefined));
    }
    return this.cached;
  }

  /** The portrait as a data: URI; '' when it cannot be loaded (the card then shows initials). */
  portrait(persona: Persona): Promise<string> {
    const key = `${persona.id}@${persona.updatedAt}`;
    let uri = this.portraits.get(key);
    if (!uri) {
      uri = fetchPortraitDataUri(this.connection.requireClient(), persona).catch((error: unknown) => {
        this.log.warn(`Could not load a portrait: ${errorMessage(error)}`);
        this.portraits.delete(key);
        return '';
      });
      this.portraits.set(key, uri);
    }
    return uri;
  }

  /** Portraits of personas by id (for views that know only ids, such as a discussion). */
  async portraitsOf(ids: readonly string[]): Promise<Record<string, string>> {
    const personas = (await this.list()).filter((persona) => ids.includes(persona.id));
    const entries = await Promise.all(personas.map(async (persona) => [persona.id, await this.portrait(persona)] as const));
    return Object.fromEntries(entries.filter(([, uri]) => uri));
  }

  /** Forgets the list (after this window changed a persona, before the event arrives). */
  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  private startFollowing(): void {
    if (this.following) return;
    this.following = true;
    this.follow(this.connection.state);
  }

  private follow(state: ConnectionState): void {
    this.stream?.close();
    this.stream = undefined;
    this.cached = undefined;
    if (!this.following || state.kind !== 'connected') return;
    this.stream = openTenantEvents(state.client, 'Personas', this.log, {
      // A (re)connection may have missed changes: start from a fresh list.
      onOpen: () => this.invalidate(),
      onMessage: (message) => {
        if (message.event !== PERSONA_CHANGED_EVENT) return;
        const parsed = PersonaChangedData.safeParse(JSON.parse(message.data));
        if (!parsed.success) return;
        this.log.info(`Persona ${parsed.data.personaId} ${parsed.data.change}`);
        this.invalidate();
      },
    });
  }
}
