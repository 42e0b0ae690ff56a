import type { Language, RuleInfo, Severity } from '#protocol/findings.ts';

export type Languages = Array<Language | '*'>;
export const JS: Languages = ['javascript', 'typescript', 'tsx'];
export const CODE: Languages = [...JS, 'python', 'go', 'java'];

/** OWASP Top 10 (2021) categories, spelled once. */
export const OWASP = {
  accessControl: 'A01:2021 Broken Access Control',
  crypto: 'A02:2021 Cryptographic Failures',
  injection: 'A03:2021 Injection',
  design: 'A04:2021 Insecure Design',
  misconfiguration: 'A05:2021 Security Misconfiguration',
  authentication: 'A07:2021 Identification and Authentication Failures',
  integrity: 'A08:2021 Software and Data Integrity Failures',
  logging: 'A09:2021 Security Logging and Monitoring Failures',
} as const;

export const cwe = (id: number) => `https://cwe.mitre.org/data/definitions/${id}.html`;
export const cheatSheet = (name: string) => `https://cheatsheetseries.owasp.org/cheatsheets/${name}_Cheat_Sheet.html`;

export interface RuleSpec {
  id: string;
  title: string;
  severity: Severity;
  languages: Languages;
  fixable?: boolean;
  docs: string;
  cwe?: number[];
  owasp?: string[];
  /** [language, vulnerable, fixed] */
  example?: [string, string, string];
  references?: string[];
}

/** A catalog entry; every CWE id gets its cwe.mitre.org page as the first reference. */
export function rule(spec: RuleSpec): RuleInfo {
  const cweIds = spec.cwe ?? [];
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    languages: spec.languages,
    fixable: spec.fixable ?? false,
    docs: spec.docs,
    cwe: cweIds.map((id) => `CWE-${id}`),
    owasp: spec.owasp ?? [],
    ...(spec.example ? { examples: { language: spec.example[0], vulnerable: spec.example[1], fixed: spec.example[2] } } : {}),
    references: [...cweIds.map(cwe), ...(spec.references ?? [])],
  };
}
