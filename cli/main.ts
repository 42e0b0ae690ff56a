import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HELP, parseAnalyzeArgs, UsageError, type AnalyzeOptions, type FailOn } from './args.ts';
import { baselineFingerprints, newSince } from './baseline.ts';
import { jsonReport, sarifReport, textReport } from './formats.ts';
import { analyzeOffline } from './offline.ts';
import { createProgress } from './progress.ts';
import { sortFindings, type ReportFinding } from './report-finding.ts';
import { analyzeOnServer, ConnectionError } from './server-mode.ts';
import { GitError, readTree } from './tree.ts';

/** Exit codes, the contract with CI (docs/ci.md). */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/** Runs `nyx <argv>` and returns the exit code; every expected failure is one line on stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: AnalyzeOptions | null;
  try {
    options = parseAnalyzeArgs(argv, process.env);
  } catch (error) {
    return fail(error);
  }
  if (!options) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.clean;
  }
  try {
    return await analyze(options);
  } catch (error) {
    return fail(error);
  }
}

async function analyze(options: AnalyzeOptions): Promise<number> {
  const root = resolve(options.dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${options.dir} is not a folder`);
  // Read before analyzing: a missing baseline file is a usage error worth knowing before a long upload.
  const baseline = options.baseline ? await baselineFingerprints(options.baseline) : undefined;
  const progress = createProgress(process.stderr);
  let findings: ReportFinding[];
  if (options.offline) {
    progress.line('reading files');
    const tree = await readTree(root);
    progress.line(`analyzing ${tree.files.length} files offline`);
    findings = analyzeOffline(tree.files);
  } else {
    ({ findings } = await analyzeOnServer(root, { server: options.server!, token: options.token!, project: options.project! }, progress));
  }
  if (baseline) findings = findings.filter((finding) => !baseline.has(finding.fingerprint));
  if (options.newSince) findings = await newSince(root, options.newSince, findings);
  sortFindings(findings);

  const toTerminal = !options.output && process.stdout.isTTY === true;
  const context = {
    docsUrl: options.docsUrl,
    color: toTerminal && !process.env.NO_COLOR,
    source: (path: string) => {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
  const report =
    options.format === 'sarif' ? sarifReport(findings, context) : options.format === 'json' ? jsonReport(findings, options.offline ? 'offline' : 'server') : textReport(findings, context);
  if (options.output) {
    await writeFile(options.output, report);
    process.stderr.write(`nyx: ${findings.length} finding${findings.length === 1 ? '' : 's'} written to ${options.output}\n`);
  } else {
    process.stdout.write(report);
  }
  return findings.some((finding) => atOrAbove(finding.severity, options.failOn)) ? EXIT.findings : EXIT.clean;
}

function atOrAbove(severity: ReportFinding['severity'], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'warning') return severity === 'error' || severity === 'warning';
  return severity === 'error';
}

function fail(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConnectionError || error instanceof GitError) {
    process.stderr.write(`nyx: ${error.message}\n`);
    return EXIT.error;
  }
  // A bug of ours: still exit 2 (never "1: findings"), with the stack for the report.
  process.stderr.write(`nyx: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.error;
}
