import type { Language, RuleInfo, Severity } from '#protocol/findings.ts';

type Languages = Array<Language | '*'>;
const JS: Languages = ['javascript', 'typescript', 'tsx'];
const CODE: Languages = [...JS, 'python', 'go', 'java'];

function rule(id: string, title: string, severity: Severity, languages: Languages, fixable: boolean, docs: string): RuleInfo {
  return { id, title, severity, languages, fixable, docs };
}

const secretDocs = (what: string) =>
  `${what} in the repository can be used by anyone who can read it. **Revoke the credential**, then load it from the environment or a secret store. Deleting the line is not enough: it stays in git history.`;

/** Every rule the built-in analyzers can report. The order here is the order in docs/analyzers.md. */
export const rules: readonly RuleInfo[] = [
  rule('nyx/secrets/aws-access-key', 'AWS access key id', 'error', ['*'], false, secretDocs('An AWS access key id (`AKIA…`/`ASIA…`)')),
  rule('nyx/secrets/github-token', 'GitHub token', 'error', ['*'], false, secretDocs('A GitHub token (`ghp_…`, `gho_…`, `github_pat_…`)')),
  rule('nyx/secrets/slack-token', 'Slack token', 'error', ['*'], false, secretDocs('A Slack token (`xoxb-…`, `xoxp-…`)')),
  rule('nyx/secrets/stripe-live-key', 'Stripe live key', 'error', ['*'], false, secretDocs('A Stripe live key (`sk_live_…`, `rk_live_…`)')),
  rule('nyx/secrets/google-api-key', 'Google API key', 'error', ['*'], false, secretDocs('A Google API key (`AIza…`)')),
  rule('nyx/secrets/private-key', 'Private key', 'error', ['*'], false, secretDocs('A PEM private key')),
  rule('nyx/secrets/hardcoded-password', 'Hard-coded password', 'error', ['*'], false,
    'A `password`/`secret` assignment with a quoted value of at least 8 characters and a Shannon entropy of at least 3 bits per character (placeholders like `changeme` or `${PASSWORD}` are ignored). ' + secretDocs('A password')),
  rule('nyx/dangerous/dynamic-eval', 'Code evaluated from dynamic input', 'error', [...JS, 'python'], false,
    '`eval`, `new Function` (JS/TS) and `eval`/`exec` (Python) run whatever string they get. With anything but a literal, an attacker who controls part of the string runs code. Parse data instead (`JSON.parse`, `ast.literal_eval`) or dispatch through a table.'),
  rule('nyx/dangerous/shell-injection', 'Shell command built from dynamic input', 'error', CODE, false,
    'A shell command assembled by concatenation, template literals, f-strings or `fmt.Sprintf` lets input inject extra commands. Pass the program and its arguments as a list (`execFile`, `subprocess.run([...])`, `exec.Command(prog, args...)`, `ProcessBuilder`).'),
  rule('nyx/dangerous/sql-injection', 'SQL built from dynamic input', 'error', CODE, false,
    'SQL assembled from strings and passed to `query`/`execute` allows SQL injection. Use placeholders (`$1`, `?`, `%s` parameters) and pass the values separately.'),
  rule('nyx/dangerous/tls-verification-disabled', 'TLS certificate verification disabled', 'error', CODE, true,
    'Turning off certificate verification (`rejectUnauthorized: false`, `verify=False`, `InsecureSkipVerify: true`, a trust-all `X509TrustManager`) lets anyone on the network read and change the traffic. The fix turns verification back on; trust a private CA explicitly instead if needed.'),
  rule('nyx/dangerous/weak-password-hash', 'Weak hash for passwords', 'warning', CODE, true,
    'MD5 and SHA-1 are broken and fast, so password hashes made with them are cracked quickly. The fix moves to SHA-256 where the call allows it; for stored passwords prefer a slow KDF (scrypt, argon2, bcrypt, PBKDF2).'),
  rule('nyx/dangerous/inner-html', 'innerHTML assigned from dynamic data', 'warning', JS, false,
    'Assigning non-literal data to `innerHTML`/`outerHTML` enables cross-site scripting. Use `textContent`, or sanitize with a vetted library.'),
  rule('nyx/correctness/empty-catch', 'Empty catch block', 'warning', [...JS, 'python', 'java'], false,
    'An empty `catch`/`except: pass` hides failures. Handle the error, log it, or rethrow. A comment in the block saying why it is safe to ignore silences this rule.'),
  rule('nyx/correctness/floating-promise', 'Async call not awaited', 'warning', [...JS, 'python'], false,
    'A function declared `async` in the same file is called as a bare statement: its errors are lost and its work may not finish in order. `await` it, chain `.then/.catch`, or mark the intent with `void` (JS/TS).'),
  rule('nyx/maintainability/function-length', 'Long function', 'warning', CODE, false,
    'Functions longer than 80 lines are hard to read and test. Extract steps into named functions.'),
  rule('nyx/maintainability/nesting-depth', 'Deep nesting', 'warning', CODE, false,
    'Control flow nested more than 4 levels deep (if/for/while/switch/try) inside one function. Return early or extract the inner block.'),
  rule('nyx/maintainability/cyclomatic-complexity', 'High cyclomatic complexity', 'warning', CODE, false,
    'More than 15 independent paths through one function (1 + each if, loop, case, catch, ternary, `&&`, `||`). Split the function.'),
  rule('nyx/maintainability/file-size', 'Large file', 'warning', ['*'], false,
    'Files over 1000 lines are hard to navigate. Split by responsibility. Files over 1 MiB are only scanned for secrets.'),
  rule('nyx/maintainability/todo-comment', 'TODO/FIXME/HACK comment', 'info', CODE, false,
    'Marks unfinished work. Track it in an issue or finish it.'),
  rule('nyx/input/not-utf8', 'File is not valid UTF-8', 'info', ['*'], false,
    'The file is not binary but is not valid UTF-8, so it was not analyzed. Re-encode it as UTF-8 to get findings.'),
];

export const ruleById: ReadonlyMap<string, RuleInfo> = new Map(rules.map((r) => [r.id, r]));
