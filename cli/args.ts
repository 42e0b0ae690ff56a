import { parseArgs } from 'node:util';

/** A mistake in how nyx was called or where it points: exit code 2 with one clear line. */
export class UsageError extends Error {}

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'none';

export interface AnalyzeOptions {
  dir: string;
  offline: boolean;
  server: string | undefined;
  token: string | undefined;
  project: string | undefined;
  format: Format;
  output: string | undefined;
  failOn: FailOn;
  baseline: string | undefined;
  newSince: string | undefined;
  /** Base of rule links in SARIF/text output when there is no server (--offline). */
  docsUrl: string;
}

export const HELP = `Usage: nyx analyze [dir] [options]

Analyzes a folder with Nyx's built-in analyzers, through a Nyx server or in-process (--offline).

  --server URL        Nyx server (env NYX_SERVER_URL)
  --token T           API token (env NYX_TOKEN)
  --project ID        project the snapshot belongs to (env NYX_PROJECT)
  --offline           run the analyzers in this process; no server
  --format F          text (default), json or sarif
  --output FILE       write the report to FILE instead of stdout
  --fail-on LEVEL     error (default), warning or none: exit 1 when a finding is at or above it
  --baseline FILE     report only findings absent from a previous json or sarif output
  --new-since REF     report only findings new since a git ref (files changed since REF, minus
                      fingerprints found in REF's version of those files)
  --docs-url URL      base of rule links when offline (default: the server URL or http://127.0.0.1:7420)

Exit codes: 0 no findings at or above --fail-on, 1 some, 2 usage or connection error.`;

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'none'];

/** `argv` without node and the script; `env` for the NYX_* defaults. Returns null for --help. */
export function parseAnalyzeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AnalyzeOptions | null {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return null;
  if (command !== 'analyze') throw new UsageError(`unknown command "${command}"; try: nyx analyze --help`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        project: { type: 'string' },
        offline: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string', default: 'error' },
        baseline: { type: 'string' },
        'new-since': { type: 'string' },
        'docs-url': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    // node's messages name the flag ("Unknown option '--fromat'"); keep them, drop the stack.
    throw new UsageError(`${(error as Error).message.split(/\.\s/)[0]}; try: nyx analyze --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length > 1) throw new UsageError(`expected at most one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = values['fail-on'] as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not "${values['fail-on']}"`);
  if (values.baseline && values['new-since']) throw new UsageError('use --baseline or --new-since, not both');
  const server = values.server ?? env.NYX_SERVER_URL;
  const options: AnalyzeOptions = {
    dir: positionals[0] ?? '.',
    offline: values.offline,
    server,
    token: values.token ?? env.NYX_TOKEN,
    project: values.project ?? env.NYX_PROJECT,
    format,
    output: values.output,
    failOn,
    baseline: values.baseline,
    newSince: values['new-since'],
    docsUrl: values['docs-url'] ?? server ?? 'http://127.0.0.1:7420',
  };
  if (!options.offline) {
    if (!options.server) throw new UsageError('no server: pass --server URL (or NYX_SERVER_URL), or --offline');
    checkUrl('--server', options.server);
    if (!options.token) throw new UsageError('no token: pass --token T (or NYX_TOKEN); create one with `nyx-server token create`');
    if (!options.project) throw new UsageError('no project: pass --project ID (or NYX_PROJECT)');
  }
  checkUrl('--docs-url', options.docsUrl);
  return options;
}

function checkUrl(flag: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${value}" is not a URL (expected e.g. http://127.0.0.1:7420)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} "${value}" must be an http or https URL`);
}
