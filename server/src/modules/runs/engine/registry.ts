import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import type { z } from 'zod';
import type { Logger } from '#server/logger.ts';

/** What a handler knows about the run it executes. */
export interface RunInfo {
  id: string;
  tenantId: string;
  projectId: string;
  kind: string;
  input: Record<string, unknown>;
  /** 1 on the first claim; higher when a crashed instance's run is executed again from the start. */
  attempt: number;
  createdBy: string | null;
}

export interface RunContext {
  run: RunInfo;
  /** Appends an event to the run's log (streamed to every watcher). Resolves once committed; returns its seq. */
  emit(type: string, data?: unknown): Promise<number>;
  /** Records progress (0 to 1) on the run row and as a `progress` event. */
  progress(fraction: number, message?: string | null): Promise<void>;
  /** Aborted when the run is cancelled, its lease is lost, or the server shuts down; stop promptly. */
  signal: AbortSignal;
  /** Tenant-scoped database work (RLS applies): a short transaction, never held across network calls. */
  withTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  log: Logger;
}

/** Does the work of one kind of run; what it resolves with becomes the run's result (JSON). */
export type RunHandler = (context: RunContext) => Promise<unknown>;

/** An id a run input names: `{ field: 'input.personaIds.1', entity: PersonaRow, id }`. */
export interface RunInputReference {
  field: string;
  entity: EntityName<any>;
  id: string;
}

export interface RunKindOptions {
  /** Validates `input` when the run is created, so a bad request is a 400 instead of a failed run. */
  input?: z.ZodType<Record<string, unknown>>;
  /**
   * The ids the (parsed) input names. Each must be a row of the caller's tenant when the run is
   * created, or the request is a 404 naming the field: ids inside JSON have no foreign key to
   * hold them, and a run that fails later with a confusing message is worse (decision 0011).
   */
  references?: (input: Record<string, unknown>) => RunInputReference[];
  /**
   * Checks, in the caller's tenant, what the input needs beyond its ids (a compliance review needs
   * policies to review against). Throws an AppError to refuse the request before a run exists.
   */
  precondition?: (em: EntityManager, input: Record<string, unknown>) => Promise<void>;
}

/** References for an id field of a run input that may be absent, or for each entry of a list of ids. */
export function inputReferences(entity: EntityName<any>, field: string, value: string | string[] | null | undefined): RunInputReference[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ field, entity, id: value }];
  return value.map((id, index) => ({ field: `${field}.${index}`, entity, id }));
}

/**
 * A run kind as a feature declares it (its Feature lists these); the composition root builds the
 * handler with the services and registers it. `S` is the narrowest services type the handler needs.
 */
export interface RunKindDefinition<S> {
  kind: string;
  input?: RunKindOptions['input'];
  references?: RunKindOptions['references'];
  precondition?: RunKindOptions['precondition'];
  handler: (services: S) => RunHandler;
}

interface RegisteredKind {
  handler: RunHandler;
  options: RunKindOptions;
}

export class DuplicateRunKindError extends Error {}

/**
 * Run kinds and their handlers. Features register theirs at startup (`registerRunHandler`); the
 * runner claims only runs whose kind it can execute, so instances with different features loaded
 * leave each other's runs alone.
 */
export class RunRegistry {
  private readonly handlers = new Map<string, RegisteredKind>();

  registerRunHandler(kind: string, handler: RunHandler, options: RunKindOptions = {}): void {
    if (this.handlers.has(kind)) throw new DuplicateRunKindError(`a handler for run kind "${kind}" is already registered`);
    this.handlers.set(kind, { handler, options });
  }

  handlerFor(kind: string): RunHandler | undefined {
    return this.handlers.get(kind)?.handler;
  }

  inputSchemaFor(kind: string): RunKindOptions['input'] {
    return this.handlers.get(kind)?.options.input;
  }

  inputReferencesFor(kind: string, input: Record<string, unknown>): RunInputReference[] {
    return this.handlers.get(kind)?.options.references?.(input) ?? [];
  }

  preconditionFor(kind: string): RunKindOptions['precondition'] {
    return this.handlers.get(kind)?.options.precondition;
  }

  has(kind: string): boolean {
    return this.handlers.has(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }
}
