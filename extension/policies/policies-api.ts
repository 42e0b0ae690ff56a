import { policyRoutes } from '#protocol/policies.ts';
import type { ComplianceReviewStart, PolicySearchQuery, PolicyUpload } from '#protocol/policies.ts';
import type { NyxClient } from '../api/client.ts';

/**
 * The policy library's routes (protocol/policies.ts) through the shared client. Kept in this
 * folder so the feature stays in one place; `NyxClient.call` validates every answer.
 */
export const policiesApi = {
  async list(client: NyxClient) {
    return (await client.call(policyRoutes.list)).items;
  },
  get(client: NyxClient, documentId: string) {
    return client.call(policyRoutes.get, { params: { id: documentId } });
  },
  getVersion(client: NyxClient, documentId: string, version: number) {
    return client.call(policyRoutes.getVersion, { params: { id: documentId, version: String(version) } });
  },
  getClause(client: NyxClient, clauseId: string) {
    return client.call(policyRoutes.getClause, { params: { id: clauseId } });
  },
  upload(client: NyxClient, body: PolicyUpload) {
    return client.call(policyRoutes.upload, { body });
  },
  remove(client: NyxClient, documentId: string) {
    return client.call(policyRoutes.remove, { params: { id: documentId } });
  },
  installStarter(client: NyxClient) {
    return client.call(policyRoutes.installStarter);
  },
  search(client: NyxClient, query: PolicySearchQuery, signal?: AbortSignal) {
    return client.call(policyRoutes.search, { query: { ...query }, signal });
  },
  startReview(client: NyxClient, projectId: string, body: ComplianceReviewStart) {
    return client.call(policyRoutes.startReview, { params: { id: projectId }, body });
  },
  getReview(client: NyxClient, runId: string) {
    return client.call(policyRoutes.getReview, { params: { runId } });
  },
};
