import * as vscode from 'vscode';
import { TENANT_EVENT, TenantRunEventData } from '#protocol/events.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { Run } from '#protocol/runs.ts';
import type { EventStream } from '#protocol/sse-client.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection, ConnectionState } from '../connection/connection.ts';
import { openTenantEvents } from '../connection/tenant-events.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';

/** How many recent runs the Runs view shows. */
const RECENT_RUNS = 50;
const TENANT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(TENANT_EVENT));

/**
 * The tenant's recent runs, kept current by the tenant event stream (`GET /api/v1/events`): each
 * event is a run snapshot, applied only when newer than what we hold, so replays are harmless.
 * Every (re)connection of the stream also reloads the list, which covers what happened while
 * the stream was down. The stream client resumes with Last-Event-ID and backs off on failures.
 */
export class RunsStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly byId = new Map<string, Run>();
  private stream: EventStream | undefined;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(connection.onDidChange((state) => this.follow(state)));
    this.register(toDisposable(() => this.stream?.close()));
    this.follow(connection.state);
  }

  /** Newest first. */
  get runs(): Run[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get activeRuns(): Run[] {
    return this.runs.filter((run) => !isFinalRunStatus(run.status));
  }

  get(runId: string): Run | undefined {
    return this.byId.get(runId);
  }

  /** Applies a snapshot if it is newer than the one held (also used for answers of our own requests). */
  apply(run: Run): void {
    const held = this.byId.get(run.id);
    if (held && !isNewer(run, held)) return;
    this.byId.set(run.id, run);
    this.changed.fire();
  }

  /** Reloads the list from the server (the Refresh command). */
  async reload(): Promise<void> {
    const client = this.connection.requireClient();
    const runs = await client.listRuns({ limit: RECENT_RUNS });
    for (const run of runs) this.apply(run);
  }

  private follow(state: ConnectionState): void {
    this.stream?.close();
    this.stream = undefined;
    if (state.kind !== 'connected') {
      if (this.byId.size > 0) {
        this.byId.clear();
        this.changed.fire();
      }
      return;
    }
    const stream = openTenantEvents(state.client, 'Runs', this.log, {
      onOpen: () => {
        this.reload().catch((error) => this.log.warn(`Could not load the runs: ${errorMessage(error)}`));
      },
      onMessage: (message) => {
        if (!TENANT_EVENT_TYPES.has(message.event)) return;
        const parsed = TenantRunEventData.safeParse(JSON.parse(message.data));
        if (parsed.success) this.apply(parsed.data);
        else this.log.warn(`Ignored a ${message.event} event the extension does not understand`);
      },
    });
    this.stream = stream;
    void stream.ended.then((end) => {
      if (end.reason !== 'rejected' || this.stream !== stream) return;
      this.log.warn(`The server closed the runs event stream (${end.status}); reconnecting`);
      void this.connection.connect();
    });
  }
}

/** Snapshots carry updatedAt; on a tie, a final status wins (it never changes again). */
function isNewer(candidate: Run, held: Run): boolean {
  if (candidate.updatedAt !== held.updatedAt) return candidate.updatedAt > held.updatedAt;
  return isFinalRunStatus(candidate.status) && !isFinalRunStatus(held.status);
}
