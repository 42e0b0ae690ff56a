/**
 * Files people do not write by hand: vendored dependencies and minified bundles. Their findings
 * are noise the user cannot act on (and a bundle's one-line functions trip every metric), so they
 * are skipped unless the analysis asks for them (`includeGenerated`, docs/analysis.md).
 */

/** Vendored trees: someone else's code, copied in. Nothing is reported there. */
const VENDORED_DIRECTORY = /(?:^|\/)(?:node_modules|vendor|third_party|third-party|bower_components)\//;
/** Build output by name: only the secret scan runs (a key pasted into a bundle still leaks). */
const MINIFIED_NAME = /\.(?:min|bundle)\.(?:js|mjs|cjs|css)$|[.-]min\.js$/;

/** Any line longer than this is machine-written: people wrap long before 2000 characters. */
export const MAX_HUMAN_LINE = 2000;
/** Average line length above which a file is treated as minified. */
export const MAX_AVERAGE_LINE = 300;

export type GeneratedKind = 'vendored' | 'minified';

/** What the path alone says about a file. */
export function generatedKind(path: string): GeneratedKind | undefined {
  if (VENDORED_DIRECTORY.test(path)) return 'vendored';
  if (MINIFIED_NAME.test(path)) return 'minified';
  return undefined;
}

/**
 * Only JavaScript (and CSS) ships minified. A Python, Java or Go file with one long line holds
 * a long literal (an embedded image, a key table), and its code still deserves every rule.
 */
const MINIFIABLE = /\.(?:js|mjs|cjs|jsx|css)$/i;

/** Minified by content: a very long line, or long lines on average. One pass, no split. */
export function looksMinified(text: string, path = 'a.js'): boolean {
  if (!MINIFIABLE.test(path) || text.length <= MAX_AVERAGE_LINE) return false;
  let lines = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i - lineStart > MAX_HUMAN_LINE) return true;
    lines++;
    lineStart = i + 1;
  }
  if (text.length - lineStart > MAX_HUMAN_LINE) return true;
  return text.length / lines > MAX_AVERAGE_LINE;
}
