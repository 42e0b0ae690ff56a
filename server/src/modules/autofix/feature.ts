// The autofix feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { autofixRoutes } from '#protocol/autofix.ts';
import { AUTOFIX_EVENT } from '#protocol/autofix.ts';
import { autofixRouter } from './routes.ts';
import { AutofixApplicationRow } from './autofix-application.entity.ts';
import { autofixRunKind, refactorRunKind } from './autofix-run.ts';

/** Fixes and refactorings proposed by a model, validated, then applied. */
export const autofixFeature: Feature = {
  name: 'autofix',
  contracts: autofixRoutes,
  router: autofixRouter,
  runKinds: [autofixRunKind, refactorRunKind],
  entities: [AutofixApplicationRow],
  eventKinds: Object.values(AUTOFIX_EVENT),
};
