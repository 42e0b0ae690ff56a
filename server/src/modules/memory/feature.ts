// The memory feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { memoryRoutes } from '#protocol/memory.ts';
import { memoryRouter } from './routes.ts';
import { MemoryEntryRow } from './memory-entry.entity.ts';
import { startEmbeddingSweeper } from './background-embedding.ts';

/** The project's memory: entries with embeddings, searched by meaning. Its sweeper embeds notes, memory and policy clauses saved without a vector. */
export const memoryFeature: Feature = {
  name: 'memory',
  contracts: memoryRoutes,
  router: memoryRouter,
  runKinds: [],
  entities: [MemoryEntryRow],
  eventKinds: [],
  start: startEmbeddingSweeper,
};
