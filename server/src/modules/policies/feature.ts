// The policies feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { COMPLIANCE_EVENT, policyRoutes } from '#protocol/policies.ts';
import { policiesRouter } from './routes.ts';
import { PolicyClauseRow, PolicyDocumentRow, PolicyVersionRow } from './policy.entity.ts';
import { complianceReviewRunKind } from './review/compliance-run.ts';

/**
 * The tenant's policy library (versioned, split into clauses, searched by meaning) and the
 * compliance review run. Clauses saved without a vector are embedded by memory's sweeper.
 */
export const policiesFeature: Feature = {
  name: 'policies',
  contracts: policyRoutes,
  router: policiesRouter,
  runKinds: [complianceReviewRunKind],
  entities: [PolicyDocumentRow, PolicyVersionRow, PolicyClauseRow],
  eventKinds: Object.values(COMPLIANCE_EVENT),
};
