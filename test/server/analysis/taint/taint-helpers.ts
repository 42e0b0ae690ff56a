import assert from 'node:assert/strict';
import { Finding } from '#protocol/findings.ts';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';

/** Flow findings (rules under nyx/injection/) of one in-memory file, each validated against the protocol. */
export function flowFindings(path: string, content: string, ruleId?: string): Finding[] {
  const findings = analyzeFile({ path, content }).filter((f) => f.ruleId.startsWith('nyx/injection/'));
  for (const finding of findings) Finding.parse(finding);
  return ruleId ? findings.filter((f) => f.ruleId === ruleId) : findings;
}

/** The 1-based line of the first line containing `marker`. */
export function lineOf(content: string, marker: string): number {
  const index = content.split('\n').findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `marker ${marker} not found`);
  return index + 1;
}

/** Asserts exactly one finding of the rule, at the sink line, whose flow starts at the source line. */
export function assertFlow(path: string, content: string, ruleId: string, sourceMarker: string, sinkMarker: string): Finding {
  const findings = flowFindings(path, content, ruleId);
  assert.equal(findings.length, 1, `expected one ${ruleId} finding in ${path}, got ${JSON.stringify(findings.map((f) => [f.ruleId, f.range.startLine]))}`);
  const finding = findings[0]!;
  const flow = finding.flow!;
  assert.ok(flow.length >= 2, 'flow has a source and a sink');
  assert.equal(flow[0]!.kind, 'source');
  assert.equal(flow[flow.length - 1]!.kind, 'sink');
  assert.equal(flow[0]!.range.startLine, lineOf(content, sourceMarker), `source line of ${ruleId}: ${JSON.stringify(flow)}`);
  assert.equal(finding.range.startLine, lineOf(content, sinkMarker), `sink line of ${ruleId}`);
  assert.equal(flow[flow.length - 1]!.range.startLine, finding.range.startLine);
  for (const step of flow) assert.equal(step.path, path);
  return finding;
}

export function assertNoFlow(path: string, content: string, ruleId?: string): void {
  const findings = flowFindings(path, content, ruleId);
  assert.deepEqual(findings.map((f) => `${f.ruleId}@${f.range.startLine}: ${f.message}`), [], `no flow finding expected in ${path}`);
}
