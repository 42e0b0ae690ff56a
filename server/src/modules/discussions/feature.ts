// The discussions feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { discussionRoutes } from '#protocol/discussions.ts';
import { DISCUSSION_EVENT } from '#protocol/discussions.ts';
import { discussionsRouter } from './routes.ts';
import { DiscussionRow, DiscussionTurnRow } from './discussion.entity.ts';
import { discussionRunKind } from './discussion-run.ts';

/** Discussions between personas, streamed turn by turn. */
export const discussionsFeature: Feature = {
  name: 'discussions',
  contracts: discussionRoutes,
  router: discussionsRouter,
  runKinds: [discussionRunKind],
  entities: [DiscussionRow, DiscussionTurnRow],
  eventKinds: Object.values(DISCUSSION_EVENT),
};
