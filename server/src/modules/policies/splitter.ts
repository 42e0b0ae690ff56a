// Splits a policy's text into clauses (the format is documented in docs/policies.md, "The clause
// format"). Pure: no I/O, so the rules are tested line by line and G2's bench can split the
// starter set without a server.
import type { PolicyFormat } from '#protocol/policies.ts';

export interface SplitClause {
  number: string;
  title: string;
  text: string;
  controls: string[];
  cwes: string[];
}

export interface SplitPolicy {
  /** The first `# ` heading, else the first non-empty line. */
  title: string;
  clauses: SplitClause[];
}

const MAX_TITLE = 120;
/** `4.2`, `4.2.1`, `A.8.28`, `12`: a clause number at the start of a heading or line. */
const NUMBER = String.raw`(?:[A-Z]\.)?\d+(?:\.\d+)*`;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const NUMBERED_TITLE = new RegExp(String.raw`^(${NUMBER})\.?\s+(.+)$`);
const COVERS_LINE = /^\s*(?:[-*]\s*)?\**covers\**\s*:(.*)$/i;

/** A numbered line of a text or PDF document that starts a clause: "4.2 Parameterised queries". */
function numberedLine(line: string): { number: string; title: string } | null {
  const match = NUMBERED_TITLE.exec(line.trim());
  if (!match) return null;
  const title = match[2]!.trim();
  // A sentence that happens to start with a number ("3 services log ... .") is body text.
  if (title.length > MAX_TITLE || /[.,;:]$/.test(title) || !/^[\p{L}"'(]/u.test(title)) return null;
  return { number: match[1]!, title };
}

function headingOf(line: string): { level: number; number: string | null; title: string } | null {
  const match = HEADING.exec(line);
  if (!match) return null;
  const text = match[2]!.replace(/\*\*|__/g, '').trim();
  const numbered = new RegExp(String.raw`^(?:(?:clause|section|§)\s*)?(${NUMBER})\.?\s+(.+)$`, 'i').exec(text);
  return numbered ? { level: match[1]!.length, number: numbered[1]!, title: numbered[2]!.trim() } : { level: match[1]!.length, number: null, title: text };
}

/**
 * External controls a clause names, normalised and each once, in order of appearance:
 * GDPR/DSGVO articles (`GDPR Art. 32`, `GDPR Art. 5(1)(c)`) and ISO/IEC 27001 Annex A controls
 * (`ISO 27001:2022 A.8.28`; 2022 when no year is written).
 */
export function parseControls(text: string): string[] {
  const found: { at: number; id: string }[] = [];
  const gdpr = /\b(?:GDPR|DSGVO|EU[- ]GDPR)\s*,?\s*(?:Art(?:icle|ikel)?\.?)\s*(\d{1,3})((?:\s*\(\s*[0-9a-z]{1,3}\s*\))*)/gi;
  for (const match of text.matchAll(gdpr)) {
    found.push({ at: match.index, id: `GDPR Art. ${match[1]}${match[2]!.replace(/\s+/g, '').toLowerCase()}` });
  }
  const iso = /\bISO(?:\/IEC)?\s*27001(?:\s*:\s*(\d{4}))?\s*,?\s*(?:control\s*)?(?:Annex\s*)?A\s*\.?\s*(\d{1,2}\.\d{1,2})\b/gi;
  for (const match of text.matchAll(iso)) {
    found.push({ at: match.index, id: `ISO 27001:${match[1] ?? '2022'} A.${match[2]}` });
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.id))];
}

/** CWE ids from a `Covers:` line ("Covers: CWE-89, cwe 78" -> CWE-89, CWE-78). */
export function parseCovers(line: string): string[] {
  return [...line.matchAll(/\bCWE[-\s]?(\d{1,5})\b/gi)].map((match) => `CWE-${Number(match[1])}`);
}

interface OpenClause {
  number: string | null;
  title: string;
  lines: string[];
}

function finish(open: OpenClause, position: number): SplitClause | null {
  const cwes: string[] = [];
  const kept: string[] = [];
  for (const line of open.lines) {
    const covers = COVERS_LINE.exec(line);
    if (covers) cwes.push(...parseCovers(covers[1]!));
    else kept.push(line);
  }
  const text = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (!text) return null;
  return { number: open.number ?? `§${position}`, title: open.title.slice(0, 300), text, controls: parseControls(text), cwes: [...new Set(cwes)] };
}

/** Splits a document's text into its title and clauses (see docs/policies.md for the rules). */
export function splitPolicy(source: string, format: PolicyFormat): SplitPolicy {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let title: string | null = null;
  const clauses: SplitClause[] = [];
  let open: OpenClause | null = null;
  let inFence = false;
  const close = () => {
    if (!open) return;
    const clause = finish(open, clauses.length + 1);
    if (clause) clauses.push(clause);
    open = null;
  };
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : headingOf(line);
    if (heading && heading.level === 1 && title === null && !heading.number) {
      title = heading.title;
      continue;
    }
    const numbered = !inFence && !heading && format !== 'markdown' ? numberedLine(line) : null;
    if (heading || numbered) {
      close();
      open = heading ? { number: heading.number, title: heading.title, lines: [] } : { number: numbered!.number, title: numbered!.title, lines: [] };
      continue;
    }
    if (open) (open as OpenClause).lines.push(line);
    else if (title === null && line.trim()) title = line.trim().replace(/^#+\s*/, '').slice(0, 300);
  }
  close();
  return { title: title ?? 'Untitled policy', clauses };
}
