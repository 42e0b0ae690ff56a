// SARIF 2.1.0 (OASIS) for Nyx findings: what GitHub code scanning, Azure DevOps and most SAST
// dashboards ingest. A pure function of findings and rules, with no server imports, so the
// `findings.sarif` endpoint and a future `nyx analyze --format sarif` CLI produce the same file.
// Decision 0013 says why it looks the way it does; sarif-types.ts has the types it writes.
import type { Finding, FlowStep, RuleInfo, Severity, SourceRange } from '#protocol/findings.ts';
import type * as Sarif from './sarif-types.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_CONTENT_TYPE = 'application/sarif+json';

/** The parts of a finding SARIF needs: an analyzer's `Finding` and a stored finding both fit. */
export type SarifFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'path' | 'range' | 'fingerprint'> & {
  fix?: Finding['fix'] | null;
  flow?: FlowStep[] | null;
};

export interface SarifInput {
  findings: readonly SarifFinding[];
  /** Looks a rule up by id; a finding whose rule is unknown still gets a minimal descriptor. */
  ruleOf: (ruleId: string) => RuleInfo | undefined;
  /** Absolute URL of a rule's page (helpUri). */
  helpUriOf: (ruleId: string) => string;
  /** Analyzer version, e.g. `nyx-analyzers/1.1.0`. */
  toolVersion: string;
}

const CWE_TAXONOMY = 'CWE';
/** Key under partialFingerprints: versioned, so a change of the fingerprint's recipe can use a new key. */
export const FINGERPRINT_KEY = 'nyxFingerprint/v1';
/** Every location is relative to the checkout root; consumers (GitHub) resolve it against their checkout. */
const SRCROOT = '%SRCROOT%';

export function buildSarif(input: SarifInput): Sarif.Log {
  const ruleIds = [...new Set(input.findings.map((finding) => finding.ruleId))].sort();
  const rules = ruleIds.map((id) => input.ruleOf(id) ?? unknownRule(id, input.findings));
  const cweIds = [...new Set(rules.flatMap((rule) => rule.cwe ?? []))].sort((a, b) => cweNumber(a) - cweNumber(b));
  const cweIndex = new Map(cweIds.map((id, index) => [id, index]));
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'Nyx',
        version: input.toolVersion,
        rules: rules.map((rule) => ruleDescriptor(rule, input.helpUriOf(rule.id), cweIndex)),
        supportedTaxonomies: cweIds.length > 0 ? [{ name: CWE_TAXONOMY, index: 0 }] : undefined,
      },
    },
    // Our columns are UTF-16 code units, which is also SARIF's default; say so anyway.
    columnKind: 'utf16CodeUnits',
    taxonomies: cweIds.length > 0 ? [cweTaxonomy(cweIds)] : undefined,
    results: input.findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId)!)),
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [dropUndefined(run)] };
}

export function sarifLevel(severity: Severity): Sarif.Level {
  return severity === 'info' ? 'note' : severity;
}

/** Repository-relative path -> relative URI reference: each segment percent-encoded, slashes kept. */
export function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function ruleDescriptor(rule: RuleInfo, helpUri: string, cweIndex: Map<string, number>): Sarif.ReportingDescriptor {
  const cwe = rule.cwe ?? [];
  const category = rule.id.split('/')[1] ?? 'general';
  const security = cwe.length > 0 || ['dangerous', 'secrets', 'security', 'taint'].includes(category);
  // GitHub reads CWE tags in CodeQL's spelling (external/cwe/cwe-089) and ranks security alerts by security-severity.
  const tags = [...new Set([...(security ? ['security'] : []), category, ...cwe.map((id) => `external/cwe/cwe-${String(cweNumber(id)).padStart(3, '0')}`), ...(rule.owasp ?? []).map((owasp) => `external/owasp/${owasp}`)])];
  return dropUndefined({
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: firstParagraph(rule.docs) || rule.title },
    help: { text: rule.docs || rule.title, markdown: helpMarkdown(rule) },
    helpUri,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: dropUndefined({
      tags,
      'security-severity': security ? securitySeverity(rule.severity) : undefined,
      cwe: cwe.length > 0 ? cwe : undefined,
      owasp: rule.owasp?.length ? rule.owasp : undefined,
    }),
    relationships: cwe.length > 0
      ? cwe.map((id) => ({ target: { id, index: cweIndex.get(id)!, toolComponent: { name: CWE_TAXONOMY, index: 0 } }, kinds: ['superset'] }))
      : undefined,
  });
}

function cweTaxonomy(ids: readonly string[]): Sarif.ToolComponent {
  return {
    name: CWE_TAXONOMY,
    organization: 'MITRE',
    informationUri: 'https://cwe.mitre.org/',
    shortDescription: { text: 'The MITRE Common Weakness Enumeration' },
    // Only the weaknesses this log refers to, not the whole list.
    isComprehensive: false,
    taxa: ids.map((id) => ({ id, helpUri: `https://cwe.mitre.org/data/definitions/${cweNumber(id)}.html` })),
  };
}

function result(finding: SarifFinding, ruleIndex: number): Sarif.Result {
  return dropUndefined({
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [{ physicalLocation: physicalLocation(finding.path, finding.range) }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    codeFlows: finding.flow?.length ? [codeFlow(finding.flow)] : undefined,
    fixes: finding.fix
      ? [{
          description: { text: finding.fix.description },
          artifactChanges: [{
            artifactLocation: { uri: relativeUri(finding.path), uriBaseId: SRCROOT },
            replacements: finding.fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
          }],
        }]
      : undefined,
  });
}

/** One thread: the steps in the order the data moved, source first, sink last. */
function codeFlow(flow: readonly FlowStep[]): Sarif.CodeFlow {
  const sink = flow[flow.length - 1]!;
  return {
    message: { text: `${flow[0]!.message} → ${sink.message}` },
    threadFlows: [{
      locations: flow.map((step, index) => ({
        location: { physicalLocation: physicalLocation(step.path, step.range), message: { text: step.message } },
        kinds: step.kind === 'step' ? ['taint'] : ['taint', step.kind],
        executionOrder: index + 1,
        nestingLevel: 0,
      })),
    }],
  };
}

function physicalLocation(path: string, range: SourceRange): Sarif.PhysicalLocation {
  return { artifactLocation: { uri: relativeUri(path), uriBaseId: SRCROOT }, region: region(range) };
}

/** Same 1-based lines and columns, end column exclusive, as SARIF's regions. */
function region(range: SourceRange): Sarif.Region {
  return { startLine: range.startLine, startColumn: range.startColumn, endLine: range.endLine, endColumn: range.endColumn };
}

function helpMarkdown(rule: RuleInfo): string {
  const parts = [rule.docs || rule.title];
  if (rule.cwe?.length) parts.push(`**CWE:** ${rule.cwe.map((id) => `[${id}](https://cwe.mitre.org/data/definitions/${cweNumber(id)}.html)`).join(', ')}`);
  if (rule.owasp?.length) parts.push(`**OWASP Top 10:** ${rule.owasp.join(', ')}`);
  if (rule.examples) {
    const fence = '```' + rule.examples.language;
    parts.push(`**Vulnerable:**\n\n${fence}\n${rule.examples.vulnerable}\n\`\`\``, `**Fixed:**\n\n${fence}\n${rule.examples.fixed}\n\`\`\``);
  }
  if (rule.references?.length) parts.push(`**References:**\n\n${rule.references.map((url) => `- ${url}`).join('\n')}`);
  return parts.join('\n\n');
}

/** A descriptor for a rule the catalog does not know (e.g. a retired rule still on an old finding). */
function unknownRule(id: string, findings: readonly SarifFinding[]): RuleInfo {
  const severity = findings.find((finding) => finding.ruleId === id)?.severity ?? 'warning';
  return { id, title: id, severity, languages: ['*'], fixable: false, docs: '' };
}

/** GitHub's scale: 7.0 and up is high, 4.0 up to 7.0 medium, below 4.0 low. */
function securitySeverity(severity: Severity): string {
  return severity === 'error' ? '8.0' : severity === 'warning' ? '5.5' : '3.0';
}

function cweNumber(id: string): number {
  return Number(id.replace(/^CWE-/, ''));
}

/** `nyx/dangerous/sql-injection` -> `SqlInjection`. */
function pascalName(ruleId: string): string {
  const last = ruleId.split('/').pop() ?? ruleId;
  return last.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('') || 'Rule';
}

function firstParagraph(markdown: string): string {
  return markdown.split(/\n\s*\n/)[0]?.trim() ?? '';
}

/** SARIF forbids nothing about undefined, but JSON.stringify drops it anyway; dropping it here keeps objects deep-equal in tests. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
