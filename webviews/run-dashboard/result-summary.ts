// A run's result in words, per run kind: a headline and a few labelled facts. The raw JSON stays
// available, folded, under the summary. Unknown kinds (and results this version does not know)
// fall back to the top-level fields, so a newer server never shows an empty dashboard.

export interface ResultSummary {
  headline: string;
  facts: Array<[label: string, value: string]>;
}

type Fields = Record<string, unknown>;
type Summariser = (result: Fields) => ResultSummary;

const plural = (count: unknown, one: string, many = `${one}s`) => `${Number(count ?? 0)} ${Number(count) === 1 ? one : many}`;
const text = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));

const SUMMARISERS: Record<string, Summariser> = {
  analysis: (r) => {
    const ai = (r.ai ?? {}) as Fields;
    return {
      headline: `${plural(r.findings, 'finding')} in ${plural(r.files, 'file')}: ${plural(r.opened, 'new one')}, ${Number(r.fixed ?? 0)} fixed`,
      facts: [
        ['Analyzed', `${plural(r.analyzed, 'file')} (${Number(r.cacheHits ?? 0)} unchanged, from the cache)`],
        ['AI review', ai.status === 'done' ? `${plural(ai.findings, 'finding')} in ${plural(ai.files, 'file')}` : `${text(ai.status)}${ai.reason ? `: ${String(ai.reason)}` : ''}`],
      ],
    };
  },
  autofix: (r) => patchSummary(r, 'Fix'),
  refactor: (r) => patchSummary(r, 'Refactor'),
  discussion: (r) => {
    const synthesis = (r.synthesis ?? {}) as Fields;
    const list = (value: unknown) => (Array.isArray(value) ? value.length : 0);
    return {
      headline: `${plural(r.turns, 'turn')}; best approach: ${firstSentence(synthesis.bestApproach)}`,
      facts: [
        ['Consensus', plural(list(synthesis.consensusPoints), 'point')],
        ['Dissent', plural(list(synthesis.dissentPoints), 'point')],
        ['Next steps', Array.isArray(synthesis.nextSteps) && synthesis.nextSteps.length ? synthesis.nextSteps.map(String).join(' · ') : '—'],
      ],
    };
  },
  workflow: (r) => ({
    headline: `${plural(r.steps, 'step')} done${Number(r.reusedSteps ?? 0) ? `, ${Number(r.reusedSteps)} reused from the earlier run` : ''}`,
    facts: [
      ['Version', text(r.version)],
      ['Insights stored', text(r.insights)],
    ],
  }),
  'github-sync': (r) => ({
    headline: `${plural(r.files, 'file')} of ${text(r.branch)} at ${String(r.commitSha ?? '').slice(0, 7) || '—'}`,
    facts: [
      ['Downloaded', plural(r.fetched, 'file')],
      ['Reused', plural(r.reused, 'file')],
      ['Left out', `${plural(r.skipped, 'file')} (binary, too large or unusable paths)`],
      ['Scan path', text(r.scanPath)],
      ['Analysis', r.analysisRunId ? 'started' : 'not started'],
    ],
  }),
  digest: (r) => ({
    headline: 'Digest written; it is in the Reports view',
    facts: [['Written by', r.model ? String(r.model) : 'the template (no AI provider)']],
  }),
  'note-enrichment': (r) => ({
    headline: `Note enriched with ${plural(r.citations, 'source')}`,
    facts: [['Written by', r.model ? String(r.model) : 'the template (no AI provider)']],
  }),
  selftest: (r) => ({ headline: `Self-test passed: ${plural(r.events, 'event')} streamed`, facts: [] }),
};

export function summariseResult(kind: string, result: unknown): ResultSummary {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return { headline: result === null || result === undefined ? 'Done (no result)' : `Done: ${String(JSON.stringify(result)).slice(0, 200)}`, facts: [] };
  }
  const fields = result as Fields;
  const summarise = SUMMARISERS[kind];
  if (summarise) {
    try {
      return summarise(fields);
    } catch {
      // A result of another shape than this version knows: the generic summary below.
    }
  }
  return {
    headline: 'Done',
    facts: Object.entries(fields)
      .filter(([, value]) => value === null || ['string', 'number', 'boolean'].includes(typeof value))
      .slice(0, 8)
      .map(([key, value]) => [key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), text(value)] as [string, string]),
  };
}

function patchSummary(r: Fields, what: string): ResultSummary {
  const files = Array.isArray(r.files) ? (r.files as Fields[]).map((file) => String(file.path ?? '')).filter(Boolean) : [];
  const findings = Array.isArray(r.findings) ? r.findings.length : 0;
  return {
    headline: `${what} proposed for ${plural(files.length, 'file')}${findings ? `, addressing ${plural(findings, 'finding')}` : ''}; review it in the diff`,
    facts: [
      ['Files', files.join(', ') || '—'],
      ['Written by', r.mode === 'deterministic' ? 'the analyzers’ own fixes (no model)' : 'a persona, with a model'],
      ['Why', firstSentence(r.rationale)],
    ],
  };
}

function firstSentence(value: unknown): string {
  const whole = String(value ?? '').replace(/\s+/g, ' ').trim();
  if (!whole) return '—';
  const end = whole.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? whole.slice(0, end + 1) : whole;
  return sentence.length > 240 ? `${sentence.slice(0, 237)}…` : sentence;
}
