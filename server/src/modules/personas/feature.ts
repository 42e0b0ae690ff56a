// The personas feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { personaRoutes } from '#protocol/personas.ts';
import { PERSONA_CHANGED_EVENT } from '#protocol/personas.ts';
import { personasRouter } from './routes.ts';
import { PersonaRow } from './persona.entity.ts';

/** Personas: the team members a model plays. */
export const personasFeature: Feature = {
  name: 'personas',
  contracts: personaRoutes,
  router: personasRouter,
  runKinds: [],
  entities: [PersonaRow],
  eventKinds: [PERSONA_CHANGED_EVENT],
};
