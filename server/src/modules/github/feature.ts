// The github feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { githubRoutes } from '#protocol/github.ts';
import { GITHUB_SYNC_EVENT } from '#protocol/github.ts';
import { githubRouter } from './routes.ts';
import { GithubCredential } from './github-credential.entity.ts';
import { GithubBlob } from './github-blob.entity.ts';
import { GithubSync } from './github-sync.entity.ts';
import { githubSyncRunKind } from './sync-run.ts';

/** Importing and syncing a project's GitHub repository. */
export const githubFeature: Feature = {
  name: 'github',
  contracts: githubRoutes,
  router: githubRouter,
  runKinds: [githubSyncRunKind],
  entities: [GithubCredential, GithubBlob, GithubSync],
  eventKinds: Object.values(GITHUB_SYNC_EVENT),
};
