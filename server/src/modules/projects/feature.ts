// The projects feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { projectRoutes } from '#protocol/projects.ts';
import { projectsRouter } from './routes.ts';
import { Project } from './project.entity.ts';

/** Projects: the codebases a team works on. */
export const projectsFeature: Feature = {
  name: 'projects',
  contracts: projectRoutes,
  router: (services, deps) => projectsRouter(services.orm, deps),
  runKinds: [],
  entities: [Project],
  eventKinds: [],
};
