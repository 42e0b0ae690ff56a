import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import type { Logger } from '#server/logger.ts';
import { LocalEventBus, type BusListener, type BusMessage, type EventBus } from './bus.ts';

const CHANNEL = 'nyx_events';
const RECONNECT_MAX_MS = 10_000;

/** The wire form: short keys, ids only (PostgreSQL caps a payload at 8000 bytes). */
interface WireMessage {
  o: string;
  m: BusMessage;
}

/**
 * Several Nyx instances on one PostgreSQL: LISTEN/NOTIFY on a dedicated connection (a pooled
 * one could be handed to a transaction mid-notification). Local listeners hear local messages at
 * once; the NOTIFY carries the origin so an instance ignores its own echo. When the connection
 * drops it reconnects with backoff and tells listeners to resync, since notifications sent
 * meanwhile are gone.
 */
export class PgEventBus implements EventBus {
  private readonly local: LocalEventBus;
  private readonly url: string;
  private readonly origin: string;
  private readonly log: Logger;
  private client: pg.Client | null = null;
  private closed = false;
  private reconnectDelayMs = 250;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  private constructor(url: string, origin: string, log: Logger) {
    this.url = url;
    this.origin = origin;
    this.log = log;
    this.local = new LocalEventBus((error) => log.error({ err: error }, 'event bus listener failed'));
  }

  static async connect(url: string, origin: string, log: Logger): Promise<PgEventBus> {
    const bus = new PgEventBus(url, origin, log);
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'nyx-event-bus' });
    client.on('notification', (notification) => this.receive(notification.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
    this.reconnectDelayMs = 250;
  }

  private receive(payload: string | undefined): void {
    if (!payload) return;
    try {
      const wire = JSON.parse(payload) as WireMessage;
      if (wire.o !== this.origin) this.local.deliver(wire.m);
    } catch (error) {
      this.log.warn({ err: error }, 'ignored a malformed event bus notification');
    }
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.log.warn({ err: error }, 'event bus connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(RECONNECT_MAX_MS, delay * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        () => this.local.deliver({ type: 'resync' }),
        (error) => {
          this.log.warn({ err: error }, 'event bus reconnect failed');
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  publish(message: BusMessage): void {
    this.local.publish(message);
    if (message.type === 'resync') return;
    const client = this.client;
    if (!client) return; // other instances catch up on resync or their safety polls
    // The committed row a local writer attached stays in this process: other instances read it.
    const wire: WireMessage = { o: this.origin, m: message.type === 'run.event' ? { ...message, event: undefined } : message };
    // One query at a time on this connection, in publish order.
    this.sending = this.sending
      .then(() => client.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(wire)]))
      .then(
        () => undefined,
        (error) => this.log.warn({ err: error }, 'event bus notify failed'),
      );
  }

  subscribe(listener: BusListener): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await this.sending;
    await client?.end().catch(() => undefined);
    await this.local.close();
  }
}

/**
 * For a process that has no bus of its own (the CLI): tells every running instance on this
 * database, in the same wire form. On the embedded database nobody listens, which is fine: one
 * process owns it.
 */
export async function announceToInstances(orm: Orm, message: Exclude<BusMessage, { type: 'resync' }>): Promise<void> {
  const wire: WireMessage = { o: `announce-${process.pid}-${randomUUID()}`, m: message };
  await systemEm(orm).execute('select pg_notify(?, ?)', [CHANNEL, JSON.stringify(wire)]);
}
