// The triage feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { triageRoutes } from '#protocol/triage.ts';
import { triageRouter } from './routes.ts';

/** Triage of findings (false positive, won't fix, accepted, reopened, undo, history) on the analysis feature's findings. */
export const triageFeature: Feature = {
  name: 'triage',
  contracts: triageRoutes,
  router: triageRouter,
  runKinds: [],
  entities: [],
  eventKinds: [],
};
