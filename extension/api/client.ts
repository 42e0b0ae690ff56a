import type { z } from 'zod';
import { Problem } from '#protocol/problem.ts';
import type { RouteContract } from '#protocol/routes.ts';
import { projectRoutes } from '#protocol/projects.ts';
import type { ProjectCreate } from '#protocol/projects.ts';
import { runRoutes } from '#protocol/runs.ts';
import type { RunCreate, RunListQuery } from '#protocol/runs.ts';
import { tokenRoutes } from '#protocol/tokens.ts';
import { reportRoutes } from '#protocol/reports.ts';
import type { ReportCreate, ReportListQuery } from '#protocol/reports.ts';
import { noteRoutes } from '#protocol/notes.ts';
import type { NoteCreate } from '#protocol/notes.ts';
import { memoryRoutes } from '#protocol/memory.ts';
import type { MemoryCreate } from '#protocol/memory.ts';
import { digestRoutes } from '#protocol/digests.ts';
import type { DigestStart } from '#protocol/digests.ts';
import { aiRoutes } from '#protocol/ai.ts';
import type { CustomModelCreate, ProviderKeyPut } from '#protocol/ai.ts';
import { analysisRoutes } from '#protocol/analysis.ts';
import type { AnalysisRunInput, BlobBatchUpload, FindingListQuery, SnapshotCheck, SnapshotCreate } from '#protocol/analysis.ts';
import { triageRoutes } from '#protocol/triage.ts';
import type { TriageChange } from '#protocol/triage.ts';
import { githubRoutes } from '#protocol/github.ts';
import type { GithubSyncStart, GithubTokenPut } from '#protocol/github.ts';
import { personaRoutes } from '#protocol/personas.ts';
import { autofixRoutes } from '#protocol/autofix.ts';
import type { AppliedReport, AutofixRunInput, RefactorRunInput } from '#protocol/autofix.ts';
import type { ProjectUpdate } from '#protocol/projects.ts';
import { ServerProblemError, ServerUnreachableError, UnexpectedResponseError } from './errors.ts';

type ResponseOf<R extends RouteContract> = R extends { response: infer S extends z.ZodType } ? z.output<S> : void;

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Requests that get no answer in this long count as an unreachable server. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The Nyx HTTP API, typed by the route contracts in protocol/: paths, bodies and answers come
 * from there, and answers are validated with the same zod schemas the server uses.
 */
export class NyxClient {
  readonly serverUrl: string;
  /** The API token (a secret: never log it). */
  readonly token: string;

  constructor(serverUrl: string, token: string) {
    this.serverUrl = serverUrl;
    this.token = token;
  }

  /** Authorization for requests this client does not make itself (event streams). */
  authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  me() {
    return this.call(tokenRoutes.me);
  }

  async listReports(query: ReportListQuery = {}) {
    return (await this.call(reportRoutes.list, { query: { ...query } })).items;
  }

  getReport(id: string) {
    return this.call(reportRoutes.get, { params: { id } });
  }

  createReport(body: ReportCreate) {
    return this.call(reportRoutes.create, { body });
  }

  deleteReport(id: string) {
    return this.call(reportRoutes.remove, { params: { id } });
  }

  /** The report as a file (`export.md` or `export.pdf`): its bytes, as the server sent them. */
  exportReport(id: string, format: 'markdown' | 'pdf') {
    return this.download(format === 'pdf' ? reportRoutes.exportPdf : reportRoutes.exportMarkdown, { id });
  }

  async listNotes(projectId: string) {
    return (await this.call(noteRoutes.list, { params: { id: projectId } })).items;
  }

  getNote(id: string) {
    return this.call(noteRoutes.get, { params: { id } });
  }

  createNote(projectId: string, body: NoteCreate) {
    return this.call(noteRoutes.create, { params: { id: projectId }, body });
  }

  deleteNote(id: string) {
    return this.call(noteRoutes.remove, { params: { id } });
  }

  /** Starts a `note-enrichment` run (or answers the one that is running or just finished). */
  enrichNote(id: string) {
    return this.call(noteRoutes.enrich, { params: { id } });
  }

  remember(projectId: string, body: MemoryCreate) {
    return this.call(memoryRoutes.create, { params: { id: projectId }, body });
  }

  searchMemory(projectId: string, q: string, limit = 20, signal?: AbortSignal) {
    return this.call(memoryRoutes.search, { params: { id: projectId }, query: { q, limit }, signal });
  }

  getMemoryEntry(id: string) {
    return this.call(memoryRoutes.get, { params: { id } });
  }

  startDigest(projectId: string, body: DigestStart) {
    return this.call(digestRoutes.start, { params: { id: projectId }, body });
  }

  getDigest(id: string) {
    return this.call(digestRoutes.get, { params: { id } });
  }

  /** A route that answers with a file rather than JSON; a problem answer throws like call() does. */
  async download(route: RouteContract, params: Record<string, string>): Promise<{ bytes: Uint8Array; contentType: string; filename: string | undefined }> {
    const url = new URL(fillPath(route.path, params), this.serverUrl);
    let response: Response;
    try {
      // PDFs take a while on a cold server (Chromium starts): a longer bound than JSON calls.
      response = await fetch(url, { headers: this.authHeaders(), signal: AbortSignal.timeout(4 * REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new ServerUnreachableError(this.serverUrl, error);
    }
    if (!response.ok) throw problemOf(response, await response.text());
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="([^"]+)"/i.exec(disposition)?.[1];
    return {
      bytes: new Uint8Array(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? '',
      filename: filename === undefined ? undefined : safeDecode(filename),
    };
  }

  async listProjects() {
    return (await this.call(projectRoutes.list)).items;
  }

  createProject(body: ProjectCreate) {
    return this.call(projectRoutes.create, { body });
  }

  async listRuns(query: RunListQuery = {}) {
    return (await this.call(runRoutes.list, { query: { ...query } })).items;
  }

  getRun(id: string) {
    return this.call(runRoutes.get, { params: { id } });
  }

  createRun(body: RunCreate) {
    return this.call(runRoutes.create, { body });
  }

  cancelRun(id: string) {
    return this.call(runRoutes.cancel, { params: { id } });
  }

  putProvider(provider: string, body: ProviderKeyPut) {
    return this.call(aiRoutes.putProvider, { params: { provider }, body });
  }

  /** What the provider's own endpoint serves (the server asks it); `baseUrl` probes before saving. */
  listRemoteModels(provider: string, baseUrl?: string) {
    return this.call(aiRoutes.listRemoteModels, { params: { provider }, query: { baseUrl } });
  }

  addModel(body: CustomModelCreate) {
    return this.call(aiRoutes.addModel, { body });
  }

  /** One tiny call with the stored credential: ok, model and latency, or a problem saying why not. */
  testProvider(provider: string, model?: string) {
    return this.call(aiRoutes.testProvider, { params: { provider }, body: model ? { model } : {} });
  }

  getProject(id: string) {
    return this.call(projectRoutes.get, { params: { id } });
  }

  updateProject(id: string, body: ProjectUpdate) {
    return this.call(projectRoutes.update, { params: { id }, body });
  }

  checkSnapshot(projectId: string, body: SnapshotCheck) {
    return this.call(analysisRoutes.checkSnapshot, { params: { id: projectId }, body });
  }

  uploadBlobs(body: BlobBatchUpload, signal?: AbortSignal) {
    return this.call(analysisRoutes.uploadBlobs, { body, signal });
  }

  createSnapshot(projectId: string, body: SnapshotCreate) {
    return this.call(analysisRoutes.createSnapshot, { params: { id: projectId }, body });
  }

  startAnalysis(projectId: string, body: AnalysisRunInput) {
    return this.call(analysisRoutes.startAnalysis, { params: { id: projectId }, body });
  }

  listFindings(projectId: string, query: FindingListQuery = {}) {
    return this.call(analysisRoutes.listFindings, { params: { id: projectId }, query: { ...query } });
  }

  dismissFinding(id: string, reason: string) {
    return this.call(analysisRoutes.dismissFinding, { params: { id }, body: { reason } });
  }

  getFinding(id: string) {
    return this.call(analysisRoutes.getFinding, { params: { id } });
  }

  triageFinding(id: string, body: TriageChange) {
    return this.call(triageRoutes.triageFinding, { params: { id }, body });
  }

  undoTriage(id: string) {
    return this.call(triageRoutes.undoTriage, { params: { id } });
  }

  triageHistory(id: string) {
    return this.call(triageRoutes.triageHistory, { params: { id } });
  }

  listRules() {
    return this.call(analysisRoutes.listRules);
  }

  async listPersonas() {
    return (await this.call(personaRoutes.list)).items;
  }

  getGithubToken() {
    return this.call(githubRoutes.getToken);
  }

  putGithubToken(body: GithubTokenPut) {
    return this.call(githubRoutes.putToken, { body });
  }

  startGithubSync(projectId: string, body: GithubSyncStart = {}) {
    return this.call(githubRoutes.startSync, { params: { id: projectId }, body });
  }

  listModels() {
    return this.call(aiRoutes.listModels);
  }

  startAutofix(projectId: string, body: AutofixRunInput) {
    return this.call(autofixRoutes.startAutofix, { params: { id: projectId }, body });
  }

  startRefactor(projectId: string, body: RefactorRunInput) {
    return this.call(autofixRoutes.startRefactor, { params: { id: projectId }, body });
  }

  /** An autofix/refactor run with its proposal and which files were already applied. */
  getAutofix(runId: string) {
    return this.call(autofixRoutes.get, { params: { runId } });
  }

  reportAutofixApplied(runId: string, body: AppliedReport) {
    return this.call(autofixRoutes.applied, { params: { runId }, body });
  }

  /** URL of the tenant's event stream (runs created, updated, finished). */
  tenantEventsUrl(): string {
    return new URL(runRoutes.tenantEvents.path, this.serverUrl).toString();
  }

  async call<R extends RouteContract>(route: R, options: CallOptions = {}): Promise<ResponseOf<R>> {
    const url = new URL(fillPath(route.path, options.params ?? {}), this.serverUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...(route.auth ? this.authHeaders() : {}) };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS);

    let response: Response;
    try {
      response = await fetch(url, { method: route.method.toUpperCase(), headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ServerUnreachableError(this.serverUrl, error);
    }
    const text = await response.text();
    if (!response.ok) throw problemOf(response, text);
    if (!route.response) return undefined as ResponseOf<R>;
    const parsed = route.response.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new UnexpectedResponseError(`The server at ${this.serverUrl} answered ${route.method.toUpperCase()} ${route.path} with something this extension does not understand: ${parsed.error.issues[0]?.message ?? 'invalid body'}. Are the extension and the server the same version?`);
    }
    return parsed.data as ResponseOf<R>;
  }
}

function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/[:*](\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A problem+json body when there is one; otherwise a problem made from the status line. */
function problemOf(response: Response, text: string): ServerProblemError {
  const parsed = Problem.safeParse(parseJson(text));
  if (parsed.success) return new ServerProblemError(parsed.data);
  return new ServerProblemError({
    type: 'about:blank',
    title: response.statusText || 'error',
    status: response.status,
    detail: `The server answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`,
    code: 'http_error',
  });
}
