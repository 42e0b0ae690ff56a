// The runs feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { runRoutes } from '#protocol/runs.ts';
import { RUN_EVENT, TENANT_EVENT } from '#protocol/events.ts';
import { runsRouter } from './routes.ts';
import { RunRow } from './run.entity.ts';
import { RunEventRow } from './run-event.entity.ts';

/** Runs and their live events; engine/ is the runner, store, sweep and registry (and the built-in selftest kind). */
export const runsFeature: Feature = {
  name: 'runs',
  contracts: runRoutes,
  router: (services, deps) => runsRouter(services.orm, deps, services.runs, services.config.sseKeepAliveMs),
  runKinds: [],
  entities: [RunRow, RunEventRow],
  eventKinds: [...Object.values(RUN_EVENT), ...Object.values(TENANT_EVENT), 'selftest.tick'],
};
