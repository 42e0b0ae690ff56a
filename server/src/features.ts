// The composition root's one list of features. The OpenAPI document, the routers (in this order),
// the run registry and the ORM's entity list are derived from it (app.ts, main.ts). Adding a
// feature: a folder under modules/ with a feature.ts, then one line here. Nothing but the
// composition root (app.ts, main.ts) and tests import this file.
import type { Feature } from './feature.ts';
import { healthFeature } from './modules/health/feature.ts';
import { metricsFeature } from './modules/metrics/feature.ts';
import { tenancyFeature } from './modules/tenancy/feature.ts';
import { auditFeature } from './modules/audit/feature.ts';
import { projectsFeature } from './modules/projects/feature.ts';
import { aiFeature } from './modules/ai/feature.ts';
import { runsFeature } from './modules/runs/feature.ts';
import { analysisFeature } from './modules/analysis/feature.ts';
import { triageFeature } from './modules/triage/feature.ts';
import { githubFeature } from './modules/github/feature.ts';
import { autofixFeature } from './modules/autofix/feature.ts';
import { reportsFeature } from './modules/reports/feature.ts';
import { notesFeature } from './modules/notes/feature.ts';
import { memoryFeature } from './modules/memory/feature.ts';
import { digestsFeature } from './modules/digests/feature.ts';
import { personasFeature } from './modules/personas/feature.ts';
import { discussionsFeature } from './modules/discussions/feature.ts';
import { workflowsFeature } from './modules/workflows/feature.ts';
import { mcpFeature } from './modules/mcp/feature.ts';
import { ssoFeature } from './modules/sso/feature.ts';
import { policiesFeature } from './modules/policies/feature.ts';

export const features: readonly Feature[] = [
  healthFeature,
  metricsFeature,
  tenancyFeature,
  auditFeature,
  projectsFeature,
  aiFeature,
  runsFeature,
  analysisFeature,
  triageFeature,
  githubFeature,
  autofixFeature,
  reportsFeature,
  notesFeature,
  memoryFeature,
  digestsFeature,
  personasFeature,
  discussionsFeature,
  workflowsFeature,
  policiesFeature,
  mcpFeature,
  ssoFeature,
];
