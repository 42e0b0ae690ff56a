import { readFile } from 'node:fs/promises';
import { FINGERPRINT_KEY } from '#server/modules/analysis/sarif.ts';
import { analyzeOffline } from './offline.ts';
import type { ReportFinding } from './report-finding.ts';
import { changedSince, fileAt } from './tree.ts';
import { UsageError } from './args.ts';

/**
 * Fingerprints of a previous report: our JSON (`findings[].fingerprint`) or SARIF
 * (`results[].partialFingerprints["nyxFingerprint/v1"]`). A fingerprint hashes rule, path and the
 * matched text, never line numbers, so a finding moved by edits elsewhere stays known.
 */
export async function baselineFingerprints(file: string): Promise<Set<string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not JSON';
    throw new UsageError(`--baseline ${file}: ${reason}`);
  }
  const log = parsed as { findings?: Array<{ fingerprint?: unknown }>; runs?: Array<{ results?: Array<{ partialFingerprints?: Record<string, unknown> }> }> };
  if (Array.isArray(log.findings)) return new Set(log.findings.map((f) => f.fingerprint).filter((f): f is string => typeof f === 'string'));
  if (Array.isArray(log.runs)) {
    return new Set(log.runs.flatMap((run) => run.results ?? []).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]).filter((f): f is string => typeof f === 'string'));
  }
  throw new UsageError(`--baseline ${file}: neither a nyx JSON report nor a SARIF log`);
}

/**
 * `--new-since REF`: findings in files changed since REF (git), minus those whose fingerprint
 * the same analyzers find in REF's version of the file. Unchanged files cannot hold new findings
 * (a fingerprint depends on the file alone), so only changed files are read at REF.
 */
export async function newSince(root: string, ref: string, findings: readonly ReportFinding[]): Promise<ReportFinding[]> {
  const changed = await changedSince(root, ref);
  const candidates = findings.filter((finding) => changed.has(finding.path));
  const paths = [...new Set(candidates.map((finding) => finding.path))];
  const before: Array<{ path: string; bytes: Buffer }> = [];
  for (const path of paths) {
    const bytes = await fileAt(root, ref, path);
    if (bytes) before.push({ path, bytes });
  }
  const known = new Set(analyzeOffline(before).map((finding) => finding.fingerprint));
  return candidates.filter((finding) => !known.has(finding.fingerprint));
}
