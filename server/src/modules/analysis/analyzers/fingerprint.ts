import { createHash } from 'node:crypto';

/** Whitespace changes (reindenting, reflowing) must not change a finding's identity. */
export function normalizeMatchedText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Identity of a finding that survives lines added or removed elsewhere: no line numbers, only
 * what was matched and which occurrence of that same text (in file order) it is.
 */
export function fingerprintOf(ruleId: string, path: string, normalizedText: string, occurrence: number): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${normalizedText}\0${occurrence}`).digest('hex').slice(0, 32);
}
