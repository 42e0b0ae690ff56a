// The ai feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { aiRoutes } from '#protocol/ai.ts';
import { aiRouter } from './routes.ts';
import { ProviderCredential } from './provider-credential.entity.ts';
import { AiCall } from './ai-call.entity.ts';
import { AiModel } from './ai-model.entity.ts';
import { AiBudget } from './ai-budget.entity.ts';

/** Model providers, the model catalog, budgets and the call log; engine/ is the model gateway (router, adapters). */
export const aiFeature: Feature = {
  name: 'ai',
  contracts: aiRoutes,
  router: aiRouter,
  runKinds: [],
  entities: [ProviderCredential, AiCall, AiModel, AiBudget],
  eventKinds: [],
};
