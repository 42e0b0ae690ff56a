import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { FlowStep } from '#protocol/findings.ts';
import { toDiagnosticSeverity, toVscodeRange } from './finding-locations.ts';
import { plainText } from '#protocol/markdown-text.ts';

/** Diagnostic source of every Nyx finding (the Problems panel shows it; code actions look for it). */
export const DIAGNOSTIC_SOURCE = 'Nyx';

export interface DiagnosticLinks {
  /** The file a repository-relative path names, in the folder that works on the finding's project. */
  fileUri(path: string): vscode.Uri;
  /** The rule's page on the connected server (the diagnostic code's link). */
  docsUri: vscode.Uri;
}

/**
 * One finding as a diagnostic. A data-flow finding carries its path as related information, one
 * entry per step in order (source, steps, sink): the Problems panel and the hover list them, and
 * each entry opens its place, so the reader follows the data from where it entered.
 */
export function toFindingDiagnostic(finding: StoredFinding, links: DiagnosticLinks): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVscodeRange(finding.range), plainText(finding.message), toDiagnosticSeverity(finding.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: links.docsUri };
  if (finding.flow?.length) {
    diagnostic.relatedInformation = finding.flow.map(
      (step) => new vscode.DiagnosticRelatedInformation(new vscode.Location(links.fileUri(step.path), toVscodeRange(step.range)), flowStepLabel(step)),
    );
  }
  return diagnostic;
}

export const FLOW_KIND_LABEL: Record<FlowStep['kind'], string> = { source: 'Source', step: 'Step', sink: 'Sink' };

/** "Source: request parameter `id` read": the kind first, so the list reads as a path. */
export function flowStepLabel(step: FlowStep): string {
  return `${FLOW_KIND_LABEL[step.kind]}: ${step.message}`;
}
