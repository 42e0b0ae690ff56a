// The digests feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { digestRoutes } from '#protocol/digests.ts';
import { digestsRouter } from './routes.ts';
import { DigestRow } from './digest.entity.ts';
import { digestRunKind } from './digest-run.ts';

/** Digests that sum up a period of a project. */
export const digestsFeature: Feature = {
  name: 'digests',
  contracts: digestRoutes,
  router: digestsRouter,
  runKinds: [digestRunKind],
  entities: [DigestRow],
  eventKinds: [],
};
