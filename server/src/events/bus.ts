/**
 * Wake-up calls between the parts of Nyx that write and the parts that stream. A message says
 * *which* run or tenant changed, never what changed: listeners read the rows themselves, so a
 * notification carries ids only and a lost one costs latency, not data. (One in-process shortcut:
 * a `run.event` may carry the row its writer just committed, for listeners in the same process.)
 */
import type { RunEventMessage } from '#protocol/events.ts';

export type BusMessage =
  | { type: 'run.created'; tenantId: string; runId: string }
  | { type: 'run.updated'; tenantId: string; runId: string }
  | {
      type: 'run.event';
      tenantId: string;
      runId: string;
      seq: number;
      /**
       * The committed row, when the writer has it: streams in the writer's own process deliver it
       * without reading it back. Local only: it never crosses instances (ids only on the wire).
       */
      event?: RunEventMessage;
    }
  | { type: 'run.cancel'; tenantId: string; runId: string }
  /** Every instance drops the token from its authentication cache at once. */
  | { type: 'token.revoked'; tokenId: string }
  /**
   * A feature's change that every watcher of the tenant stream should hear (e.g. `findings.changed`).
   * `data` holds ids and enum words only, like every bus message; it is sent to the stream as is.
   */
  | { type: 'tenant.notice'; tenantId: string; event: string; data: Record<string, unknown> }
  /** Delivered locally after the bus lost and regained its connection: re-read everything watched. */
  | { type: 'resync' };

export type BusListener = (message: BusMessage) => void;

export interface EventBus {
  /** Call after the change committed. Reaches local listeners and, across instances, every other instance. */
  publish(message: BusMessage): void;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

/** One process: listeners are called on the next microtask, each isolated from the others' failures. */
export class LocalEventBus implements EventBus {
  private readonly listeners = new Set<BusListener>();
  private readonly onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.onListenerError = onListenerError;
  }

  publish(message: BusMessage): void {
    queueMicrotask(() => this.deliver(message));
  }

  /** For buses that receive messages from elsewhere: hand them to the local listeners. */
  deliver(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
