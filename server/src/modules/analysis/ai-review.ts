import { z } from 'zod';
import { AiError } from '#server/modules/ai/engine/errors.ts';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import type { ModelGateway } from '#server/modules/ai/gateway.ts';
import type { FindingFix, SourceRange } from '#protocol/findings.ts';
import { fingerprintOf, normalizeMatchedText } from './analyzers/fingerprint.ts';
import type { ReportedFinding } from './findings-store.ts';
import { AI_CATEGORIES } from './rule-docs.ts';
import { snippetAt } from './snippets.ts';

/** What the model must answer for each chunk; validated (and repaired once) by chatStructured. */
export const AiReviewAnswer = z.object({
  findings: z
    .array(
      z.object({
        path: z.string().min(1),
        startLine: z.number().int().min(1),
        endLine: z.number().int().min(1),
        category: z.enum(AI_CATEGORIES),
        severity: z.enum(['error', 'warning', 'info']),
        message: z.string().min(1).max(2000),
        /** Replaces lines startLine..endLine entirely; omit when there is no safe concrete edit. */
        suggestedText: z.string().max(20_000).optional(),
      }),
    )
    .max(50),
});
export type AiReviewAnswer = z.infer<typeof AiReviewAnswer>;

export interface ReviewFile {
  path: string;
  text: string;
}

export interface AiReviewOutcome {
  status: 'skipped' | 'done' | 'failed';
  reason: string | null;
  /** Files the review covered (its findings of these files are current). */
  reviewed: string[];
  findings: ReportedFinding[];
}

/** Characters of numbered source per request: small enough for any catalog model with room to answer. */
export const CHUNK_CHARS = 24_000;

interface Chunk {
  files: { path: string; firstLine: number; lines: string[] }[];
}

/** Numbered lines grouped into chunks; a file larger than a chunk is split into line windows. */
export function chunkFiles(files: readonly ReviewFile[], chunkChars = CHUNK_CHARS): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk = { files: [] };
  let size = 0;
  const flush = () => {
    if (current.files.length) chunks.push(current);
    current = { files: [] };
    size = 0;
  };
  for (const file of files) {
    const lines = file.text.split('\n');
    let window: string[] = [];
    let firstLine = 1;
    lines.forEach((line, index) => {
      if (size + line.length + 8 > chunkChars && (window.length || current.files.length)) {
        if (window.length) current.files.push({ path: file.path, firstLine, lines: window });
        flush();
        window = [];
        firstLine = index + 1;
      }
      window.push(line);
      size += line.length + 8;
    });
    if (window.length) current.files.push({ path: file.path, firstLine, lines: window });
  }
  flush();
  return chunks;
}

function renderChunk(chunk: Chunk): string {
  return chunk.files
    .map((part) => `=== ${part.path} (lines ${part.firstLine}-${part.firstLine + part.lines.length - 1}) ===\n` + part.lines.map((line, i) => `${part.firstLine + i}| ${line}`).join('\n'))
    .join('\n\n');
}

function systemPrompt(personaId: string | undefined): string {
  return [
    `You are ${personaId ? `the persona "${personaId}", ` : ''}a senior engineer reviewing changed source files for a team.`,
    'Report only real problems a careful reviewer would raise: bugs, security issues, performance traps, maintainability or readability problems. No praise, no style nits a formatter would fix.',
    'Each finding names the file path exactly as given, and the 1-based line range from the numbered lines. When a concrete, safe edit exists, give `suggestedText`: the full replacement text for those whole lines (without line numbers).',
    'If there is nothing worth reporting, answer {"findings": []}.',
  ].join('\n');
}

/** Turns the model's answer into findings, dropping any that name a file or lines outside the chunk. */
function toFindings(answer: AiReviewAnswer, chunk: Chunk, texts: Map<string, string[]>, occurrences: Map<string, number>): ReportedFinding[] {
  const findings: ReportedFinding[] = [];
  for (const item of answer.findings) {
    const part = chunk.files.find((p) => p.path === item.path && item.startLine >= p.firstLine && item.startLine < p.firstLine + p.lines.length);
    const lines = texts.get(item.path);
    if (!part || !lines) continue;
    const endLine = Math.min(Math.max(item.endLine, item.startLine), lines.length);
    const range: SourceRange = { startLine: item.startLine, startColumn: 1, endLine, endColumn: (lines[endLine - 1]?.length ?? 0) + 1 };
    const matched = normalizeMatchedText(lines.slice(item.startLine - 1, endLine).join('\n'));
    const ruleId = `nyx/ai/${item.category}`;
    const key = `${ruleId}\0${item.path}\0${matched}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    const fix: FindingFix | undefined =
      item.suggestedText === undefined ? undefined : { description: 'Apply the reviewer\'s suggested edit', edits: [{ range, newText: item.suggestedText }] };
    findings.push({
      ruleId,
      severity: item.severity,
      message: item.message,
      path: item.path,
      range,
      ...(fix ? { fix } : {}),
      fingerprint: fingerprintOf(ruleId, item.path, matched, occurrence),
      snippet: snippetAt(lines, item.startLine, ruleId),
      source: 'ai',
    });
  }
  return findings;
}

export interface AiReviewRequest {
  gateway: ModelGateway;
  files: readonly ReviewFile[];
  personaId?: string;
  model?: string;
  runId: string;
  signal: AbortSignal;
  /** Called after each chunk with (chunks done, chunks in all). */
  onChunk?(done: number, total: number): Promise<void>;
}

/**
 * A persona reviews the given files chunk by chunk and answers JSON validated with zod. Skips
 * when the tenant has no provider configured; a failing provider ends the review as `failed`
 * with the reason, keeping the findings of chunks already reviewed, and never fails the analysis.
 */
export async function reviewFiles(request: AiReviewRequest): Promise<AiReviewOutcome> {
  if (request.files.length === 0) return { status: 'done', reason: 'no changed files to review', reviewed: [], findings: [] };
  const configured = await request.gateway.credentials.configuredProviders();
  if (configured.length === 0) return { status: 'skipped', reason: 'no AI provider is configured for this team', reviewed: [], findings: [] };
  const texts = new Map(request.files.map((file) => [file.path, file.text.split('\n')]));
  const occurrences = new Map<string, number>();
  const chunks = chunkFiles(request.files);
  const findings: ReportedFinding[] = [];
  const reviewed = new Set<string>();
  for (const [index, chunk] of chunks.entries()) {
    try {
      const { value } = await chatStructured(
        request.gateway.router,
        {
          explicit: request.model,
          system: systemPrompt(request.personaId),
          messages: [{ role: 'user', content: `Review these files:\n\n${renderChunk(chunk)}` }],
          maxTokens: 4096,
          temperature: 0,
          signal: request.signal,
          runId: request.runId,
          personaId: request.personaId,
        },
        AiReviewAnswer,
      );
      findings.push(...toFindings(value, chunk, texts, occurrences));
      for (const part of chunk.files) reviewed.add(part.path);
    } catch (error) {
      if (request.signal.aborted || !AiError.is(error)) throw error;
      // A file split across chunks is only current when every chunk of it was reviewed.
      for (const part of chunk.files) reviewed.delete(part.path);
      return { status: 'failed', reason: error.message, reviewed: [...reviewed], findings: findings.filter((f) => reviewed.has(f.path)) };
    }
    await request.onChunk?.(index + 1, chunks.length);
  }
  return { status: 'done', reason: null, reviewed: [...reviewed], findings };
}
