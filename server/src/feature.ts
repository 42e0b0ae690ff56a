// The shape every feature folder exports once (server/src/modules/<name>/feature.ts). The
// composition root (features.ts) lists the features; the OpenAPI document, the routers, the run
// registry and the ORM's entity list are all derived from that one list, so adding a feature is
// one new folder and one line there.
import type Router from '@koa/router';
import type { EntitySchema } from '@mikro-orm/core';
import type { RouteContract } from '#protocol/routes.ts';
import type { NyxState } from './http/context.ts';
import type { RunKindDefinition } from './modules/runs/engine/registry.ts';
import type { AppServices, MountDeps } from './services.ts';

export interface Feature {
  /** The folder name under server/src/modules/. */
  name: string;
  /** The HTTP contracts it implements (declared in protocol/); the OpenAPI document lists them. */
  contracts: Record<string, RouteContract>;
  /** Builds its routes from the services it needs. Absent for features without HTTP routes. */
  router?: (services: AppServices, deps: MountDeps) => Router<NyxState>;
  /** The run kinds it executes; registered with the runner at startup. */
  runKinds: RunKindDefinition<AppServices>[];
  /** Its tables (each with a migration in migrations/). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- entities differ in shape by design
  entities: EntitySchema<any, any>[];
  /** The event types it writes: run events (`run_events.type`) and tenant notices. Unique across features. */
  eventKinds: string[];
  /** Background work that lives as long as the server (e.g. a bus watcher); returns its stop. */
  start?: (services: AppServices) => () => void;
}

/** Every contract, in feature order: what the OpenAPI document lists. */
export function contractsOf(features: readonly Feature[]): RouteContract[] {
  return features.flatMap((feature) => Object.values(feature.contracts));
}

/** The contracts by feature name (features without routes left out): the OpenAPI document's operationIds and tags. */
export function contractGroupsOf(features: readonly Feature[]): Record<string, Record<string, RouteContract>> {
  return Object.fromEntries(features.filter((feature) => Object.keys(feature.contracts).length > 0).map((feature) => [feature.name, feature.contracts]));
}

/** Every entity the ORM knows. */
export function entitiesOf(features: readonly Feature[]): Feature['entities'] {
  return features.flatMap((feature) => feature.entities);
}

/** Every run kind, in feature order. */
export function runKindsOf(features: readonly Feature[]): Feature['runKinds'] {
  return features.flatMap((feature) => feature.runKinds);
}

/**
 * Two features claiming one name (a route, a run kind, an event kind) is a wiring mistake that
 * would otherwise show up as one silently shadowing the other: fail at startup instead.
 */
export function assertDistinct(features: readonly Feature[]): void {
  const seen = new Map<string, string>();
  const claim = (what: string, owner: string) => {
    const previous = seen.get(what);
    if (previous !== undefined) throw new Error(`${what} is claimed by both the ${previous} and the ${owner} feature`);
    seen.set(what, owner);
  };
  for (const feature of features) {
    claim(`feature "${feature.name}"`, feature.name);
    for (const contract of Object.values(feature.contracts)) claim(`route ${contract.method.toUpperCase()} ${contract.path}`, feature.name);
    for (const runKind of feature.runKinds) claim(`run kind "${runKind.kind}"`, feature.name);
    for (const eventKind of feature.eventKinds) claim(`event kind "${eventKind}"`, feature.name);
  }
}
