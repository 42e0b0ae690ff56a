// The analysis feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { analysisRoutes } from '#protocol/analysis.ts';
import { ANALYSIS_EVENT, FINDINGS_CHANGED_EVENT } from '#protocol/analysis.ts';
import { analysisRouter } from './routes.ts';
import { Blob } from './blob.entity.ts';
import { Snapshot } from './snapshot.entity.ts';
import { AnalysisCacheEntry } from './analysis-cache.entity.ts';
import { AnalysisState } from './analysis-state.entity.ts';
import { FindingRow } from './finding.entity.ts';
import { CodePatternRow } from './code-pattern.entity.ts';
import { analysisRunKind } from './analysis-run.ts';

/** Workspace snapshots, static analyzers, findings and the AI review. */
export const analysisFeature: Feature = {
  name: 'analysis',
  contracts: analysisRoutes,
  router: analysisRouter,
  runKinds: [analysisRunKind],
  entities: [Blob, Snapshot, AnalysisCacheEntry, AnalysisState, FindingRow, CodePatternRow],
  eventKinds: [...Object.values(ANALYSIS_EVENT), FINDINGS_CHANGED_EVENT],
};
