/** Longest snippet kept with a finding (the findings.snippet column holds 300). */
const MAX_SNIPPET = 200;

/**
 * The trimmed source line a finding starts on, cut to a length that fits lists and prompts.
 * Lines of secret findings are never copied: snippets travel into code patterns, embeddings and
 * prompts, and a credential must not spread further than the file it leaked in.
 */
export function snippetAt(lines: readonly string[], line: number, ruleId: string): string {
  if (ruleId.startsWith('nyx/secrets/')) return '(secret redacted)';
  const text = (lines[line - 1] ?? '').trim();
  return text.length > MAX_SNIPPET ? `${text.slice(0, MAX_SNIPPET - 1)}…` : text;
}
