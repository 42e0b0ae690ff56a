import type { LineIndex } from './source-text.ts';
import type { RawFinding } from './raw-finding.ts';

export interface SecretPattern {
  ruleId: string;
  /** A regex that means the same in JavaScript and in ripgrep's Rust regex (the bench relies on it). */
  pattern: string;
  message: string;
}

/**
 * Known credential formats. Plain regexes over raw text, no parsing: this scan runs on every text
 * file (configs, .env, docs included) and is benchmarked against ripgrep.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    ruleId: 'nyx/secrets/aws-access-key',
    pattern: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    message: 'AWS access key id committed to source.',
  },
  {
    ruleId: 'nyx/secrets/github-token',
    pattern: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b`,
    message: 'GitHub token committed to source.',
  },
  {
    ruleId: 'nyx/secrets/slack-token',
    pattern: String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
    message: 'Slack token committed to source.',
  },
  {
    ruleId: 'nyx/secrets/stripe-live-key',
    pattern: String.raw`\b[rs]k_live_[0-9A-Za-z]{24,}`,
    message: 'Stripe live secret key committed to source.',
  },
  {
    ruleId: 'nyx/secrets/google-api-key',
    pattern: String.raw`\bAIza[0-9A-Za-z_-]{35}`,
    message: 'Google API key committed to source.',
  },
  {
    ruleId: 'nyx/secrets/private-key',
    pattern: String.raw`-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----`,
    message: 'Private key committed to source.',
  },
  {
    ruleId: 'nyx/secrets/hardcoded-password',
    pattern: String.raw`(?i:password|passwd|pwd|secret)\w*["']?\s*[:=]\s*["']([^"'\s]{8,})["']`,
    message: 'Hard-coded password or secret with high entropy.',
  },
];

const PASSWORD_RULE = 'nyx/secrets/hardcoded-password';
const PRIVATE_KEY_RULE = 'nyx/secrets/private-key';
/**
 * What follows a PEM header when a key is really there: PEM's own header lines, line breaks (real
 * or escaped in a string), string quotes (with a `b"`-style prefix) and concatenation, then base64. A parser's constant
 * (`_SK_START = b"-----BEGIN OPENSSH PRIVATE KEY-----"`) has none of it.
 */
const KEY_MATERIAL = /^(?:\s|\\[rn]|[bBrRuU]?["'`]|[+,;]|(?:Proc-Type|DEK-Info|Comment):[^\n]*)*[A-Za-z0-9+/]{40}/;

/** Bits per character; below this a value reads like a placeholder ("changeme", "xxxxxxxx"). */
export const PASSWORD_MIN_ENTROPY = 3.0;
// Template placeholders, masks, and bare words or constant names ("DB_PASSWORD", "my-secret-name"):
// a value without a digit or a symbol reads like a name, not a credential.
const PLACEHOLDER = /^(?:\$\{|\{\{|<|%\(|%s)|^(?:x+|\*+|\.+)$|^[A-Za-z_.-]+$/i;

// One alternation with a named group per pattern: the text is scanned once, whatever the count.
const combined = new RegExp(SECRET_PATTERNS.map((p, i) => `(?<p${i}>${p.pattern})`).join('|'), 'g');

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Matches as offsets, cheap enough to run without building a line index when nothing is found. */
export function findSecretMatches(text: string): Array<{ pattern: SecretPattern; start: number; end: number; text: string }> {
  const matches: Array<{ pattern: SecretPattern; start: number; end: number; text: string }> = [];
  combined.lastIndex = 0;
  for (let match = combined.exec(text); match; match = combined.exec(text)) {
    const index = SECRET_PATTERNS.findIndex((_, i) => match.groups![`p${i}`] !== undefined);
    const pattern = SECRET_PATTERNS[index]!;
    if (pattern.ruleId === PASSWORD_RULE) {
      // The last capture group of the combined regex is the quoted value.
      const value = match[match.length - 1]!;
      if (PLACEHOLDER.test(value) || shannonEntropy(value) < PASSWORD_MIN_ENTROPY) continue;
      const start = match.index + match[0].lastIndexOf(value);
      matches.push({ pattern, start, end: start + value.length, text: match[0] });
    } else {
      if (pattern.ruleId === PRIVATE_KEY_RULE && !KEY_MATERIAL.test(text.slice(combined.lastIndex, combined.lastIndex + 400))) continue;
      matches.push({ pattern, start: match.index, end: match.index + match[0].length, text: match[0] });
    }
  }
  return matches;
}

export function scanSecrets(text: string, lines: LineIndex): RawFinding[] {
  return findSecretMatches(text).map((m) => ({
    ruleId: m.pattern.ruleId,
    message: m.pattern.message,
    range: lines.range(m.start, m.end),
    matchedText: m.text,
  }));
}
