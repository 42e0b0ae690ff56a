// Shared by the autofix suites: a project with the JS fixture repository uploaded and analyzed,
// an OpenAI provider pointed at the loopback fake, starting runs and reading their results.
import assert from 'node:assert/strict';
import type { EntityManager } from '@mikro-orm/postgresql';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, waitForFinalRun } from '../runs/helpers.ts';
import { fixtureFiles } from '../analysis/fixture-repo.ts';
import { analyze, findings, sha256, uploadWorkspace, type WorkspaceFile } from '../analysis-api/helpers.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { AppliedResult, AutofixResult } from '#protocol/autofix.ts';
import type { Run, RunCreated } from '#protocol/runs.ts';

export interface FixtureProject {
  who: TestTenant;
  projectId: string;
  snapshotId: string;
  files: WorkspaceFile[];
}

export async function fixtureProject(nyx: TestNyx, label: string): Promise<FixtureProject> {
  const who = await createTestTenant(nyx, label);
  const projectId = await createProject(nyx.url, who, label);
  const files = fixtureFiles('js');
  const { snapshotId } = await uploadWorkspace(nyx.url, who, projectId, files);
  await analyze(nyx.url, who, projectId, { snapshotId });
  return { who, projectId, snapshotId, files };
}

export const textOf = (project: FixtureProject, path: string) => Buffer.from(project.files.find((f) => f.path === path)!.content).toString('utf8');
export const fileRef = (project: FixtureProject, path: string) => ({ path, blobHash: sha256(project.files.find((f) => f.path === path)!.content) });

export async function findingOf(nyx: TestNyx, project: FixtureProject, ruleId: string, path = 'src/seeded.js'): Promise<StoredFinding> {
  const found = (await findings(nyx.url, project.who, project.projectId, `?status=all&path=${encodeURIComponent(path)}`)).find((f) => f.ruleId === ruleId);
  assert.ok(found, `no ${ruleId} finding in ${path}`);
  return found;
}

/** Points the tenant's OpenAI provider at the fake (the only provider, so it answers). */
export async function useFakeOpenAI(nyx: TestNyx, who: TestTenant, fake: FakeOpenAI): Promise<void> {
  const res = await api(nyx.url, 'PUT', '/api/v1/providers/openai', { token: who.token, body: { apiKey: 'sk-proj-autofix-test-key-0123456789', baseUrl: fake.url } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** The shared instance and a fixture project whose only provider is a fresh loopback OpenAI (close it after). */
export async function modelFixture(label: string): Promise<{ nyx: TestNyx; fake: FakeOpenAI; project: FixtureProject }> {
  const nyx = await sharedNyx();
  const fake = await startFakeOpenAI();
  const project = await fixtureProject(nyx, label);
  await useFakeOpenAI(nyx, project.who, fake);
  return { nyx, fake, project };
}

export async function start(nyx: TestNyx, who: TestTenant, path: string, body: unknown): Promise<RunCreated> {
  const res = await api<RunCreated>(nyx.url, 'POST', path, { token: who.token, body });
  assert.ok(res.status === 201 || res.status === 200, `${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function finished(nyx: TestNyx, who: TestTenant, runId: string): Promise<Run> {
  return waitForFinalRun(nyx.url, who, runId, 60_000);
}

export async function succeeded(nyx: TestNyx, who: TestTenant, runId: string): Promise<AutofixResult> {
  const run = await finished(nyx, who, runId);
  assert.equal(run.status, 'succeeded', run.error ?? '');
  return run.result as AutofixResult;
}

export async function reportApplied(nyx: TestNyx, who: TestTenant, runId: string, files: { path: string; newBlobHash: string }[]) {
  return api<AppliedResult>(nyx.url, 'POST', `/api/v1/autofix/${runId}/applied`, { token: who.token, body: { files } });
}

/** What a model answers: the patch in the format the server asks for (rationale first). */
export function modelAnswer(rationale: string, files: unknown[]): string {
  return JSON.stringify({ rationale, files });
}

/** Rows as the system role sees them (RLS bypassed). */
export async function sql<T = Record<string, unknown>>(nyx: TestNyx, query: string, params: unknown[] = []): Promise<T[]> {
  return (nyx.database.orm.em.fork() as EntityManager).execute<T[]>(query, params);
}
