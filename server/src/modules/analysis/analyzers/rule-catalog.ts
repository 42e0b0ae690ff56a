import type { RuleInfo } from '#protocol/findings.ts';
import { cheatSheet, CODE, JS, OWASP, rule } from './catalog-support.ts';
import { securityRules } from './security-catalog.ts';
import { flowRuleInfos } from '#server/modules/analysis/taint/flow-rules.ts';

const secretDocs = (what: string) =>
  `${what} in the repository can be used by anyone who can read it. **Revoke the credential**, then load it from the environment or a secret store. Deleting the line is not enough: it stays in git history.`;

const SECRETS = cheatSheet('Secrets_Management');

function secretRule(id: string, title: string, what: string, vulnerable: string): RuleInfo {
  return rule({
    id, title, severity: 'error', languages: ['*'], docs: secretDocs(what), cwe: [798], owasp: [OWASP.authentication],
    example: ['javascript', vulnerable, 'const key = process.env.API_KEY;'], references: [SECRETS],
  });
}

/** Every rule the built-in analyzers can report. The order here is the order in docs/analyzers.md. */
export const rules: readonly RuleInfo[] = [
  secretRule('nyx/secrets/aws-access-key', 'AWS access key id', 'An AWS access key id (`AKIA…`/`ASIA…`)', "const key = 'AKIAIOSFODNN7EXAMPLE';"),
  secretRule('nyx/secrets/github-token', 'GitHub token', 'A GitHub token (`ghp_…`, `gho_…`, `github_pat_…`)', "const token = 'ghp_…';"),
  secretRule('nyx/secrets/slack-token', 'Slack token', 'A Slack token (`xoxb-…`, `xoxp-…`)', "const token = 'xoxb-…';"),
  secretRule('nyx/secrets/stripe-live-key', 'Stripe live key', 'A Stripe live key (`sk_live_…`, `rk_live_…`)', "const stripe = new Stripe('sk_live_…');"),
  secretRule('nyx/secrets/google-api-key', 'Google API key', 'A Google API key (`AIza…`)', "const key = 'AIza…';"),
  secretRule('nyx/secrets/private-key', 'Private key', 'A PEM private key', "const pem = '-----BEGIN RSA PRIVATE KEY-----\\n…';"),
  rule({
    id: 'nyx/secrets/hardcoded-password', title: 'Hard-coded password', severity: 'error', languages: ['*'],
    docs: 'A `password`/`secret` assignment with a quoted value of at least 8 characters and a Shannon entropy of at least 3 bits per character (placeholders like `changeme` or `${PASSWORD}` are ignored). ' + secretDocs('A password'),
    cwe: [798, 259], owasp: [OWASP.authentication],
    example: ['python', 'DB_PASSWORD = "pR0d-Xq91!zT"', 'DB_PASSWORD = os.environ["DB_PASSWORD"]'], references: [SECRETS],
  }),
  rule({
    id: 'nyx/dangerous/dynamic-eval', title: 'Code evaluated from dynamic input', severity: 'error', languages: [...JS, 'python'],
    docs: '`eval`, `new Function` (JS/TS) and `eval`/`exec` (Python) run whatever string they get. With anything but a literal, an attacker who controls part of the string runs code. Parse data instead (`JSON.parse`, `ast.literal_eval`) or dispatch through a table.',
    cwe: [95, 94], owasp: [OWASP.injection],
    example: ['javascript', 'const settings = eval("(" + body + ")");', 'const settings = JSON.parse(body);'], references: [cheatSheet('Injection_Prevention')],
  }),
  rule({
    id: 'nyx/dangerous/shell-injection', title: 'Shell command built from dynamic input', severity: 'error', languages: CODE,
    docs: 'A shell command assembled by concatenation, template literals, f-strings or `fmt.Sprintf` lets input inject extra commands. Pass the program and its arguments as a list (`execFile`, `subprocess.run([...])`, `exec.Command(prog, args...)`, `ProcessBuilder`).',
    cwe: [78], owasp: [OWASP.injection],
    example: ['python', 'os.system(f"convert {name} out.png")', 'subprocess.run(["convert", name, "out.png"], check=True)'], references: [cheatSheet('OS_Command_Injection_Defense')],
  }),
  rule({
    id: 'nyx/dangerous/sql-injection', title: 'SQL built from dynamic input', severity: 'error', languages: CODE,
    docs: 'SQL assembled from strings and passed to `query`/`execute` allows SQL injection. Use placeholders (`$1`, `?`, `%s` parameters) and pass the values separately.',
    cwe: [89], owasp: [OWASP.injection],
    example: ['javascript', 'db.query(`SELECT * FROM users WHERE id = ${id}`);', "db.query('SELECT * FROM users WHERE id = $1', [id]);"], references: [cheatSheet('SQL_Injection_Prevention')],
  }),
  rule({
    id: 'nyx/dangerous/tls-verification-disabled', title: 'TLS certificate verification disabled', severity: 'error', languages: CODE, fixable: true,
    docs: 'Turning off certificate verification (`rejectUnauthorized: false`, `verify=False`, `InsecureSkipVerify: true`, a trust-all `X509TrustManager`) lets anyone on the network read and change the traffic. The fix turns verification back on; trust a private CA explicitly instead if needed.',
    cwe: [295], owasp: [OWASP.crypto, OWASP.authentication],
    example: ['python', 'requests.get(url, verify=False)', 'requests.get(url, verify="/etc/ssl/private-ca.pem")'], references: [cheatSheet('Transport_Layer_Security')],
  }),
  rule({
    id: 'nyx/dangerous/weak-password-hash', title: 'Weak hash for passwords', severity: 'warning', languages: CODE,
    docs: 'MD5 and SHA-1 (and any fast hash, SHA-256 included) are unsuitable for passwords: they are unsalted here and billions of guesses per second are cheap. Use a salted, slow password hash: bcrypt, scrypt, Argon2 or PBKDF2 (Node `crypto.scryptSync`, Python `hashlib.scrypt`/`pbkdf2_hmac` or passlib/argon2-cffi, Java `SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")`, Go `golang.org/x/crypto/bcrypt`). There is no automatic fix: the new hash needs a salt and a new stored format, and existing hashes must be migrated at next login. A weak hash whose call or function mentions a password is reported here instead of under nyx/crypto/weak-hash.',
    cwe: [916, 328], owasp: [OWASP.crypto],
    example: ['javascript', "const hash = crypto.createHash('md5').update(password).digest('hex');", "const salt = crypto.randomBytes(16);\nconst hash = crypto.scryptSync(password, salt, 64); // store salt + hash"],
    references: [cheatSheet('Password_Storage')],
  }),
  rule({
    id: 'nyx/dangerous/inner-html', title: 'innerHTML assigned from dynamic data', severity: 'warning', languages: JS,
    docs: 'Assigning non-literal data to `innerHTML`/`outerHTML` enables cross-site scripting. Use `textContent`, or sanitize with a vetted library.',
    cwe: [79], owasp: [OWASP.injection],
    example: ['javascript', 'el.innerHTML = comment.text;', 'el.textContent = comment.text;'], references: [cheatSheet('DOM_based_XSS_Prevention')],
  }),
  ...securityRules,
  ...flowRuleInfos,
  rule({
    id: 'nyx/correctness/empty-catch', title: 'Empty catch block', severity: 'warning', languages: [...JS, 'python', 'java'],
    docs: 'An empty `catch`/`except: pass` hides failures. Handle the error, log it, or rethrow. A comment in the block saying why it is safe to ignore silences this rule.',
    cwe: [390], owasp: [OWASP.logging],
    example: ['javascript', 'try { save(doc); } catch (e) {}', 'try { save(doc); } catch (e) { log.error("save failed", e); throw e; }'], references: [cheatSheet('Error_Handling')],
  }),
  rule({
    id: 'nyx/correctness/floating-promise', title: 'Async call not awaited', severity: 'warning', languages: [...JS, 'python'],
    docs: 'A function declared `async` in the same file is called as a bare statement where that name means it (not a parameter or another function\'s local of the same name; a method through `this.`/`self.`): its errors are lost and its work may not finish in order. `await` it, chain `.then/.catch`, or mark the intent with `void` (JS/TS).',
    cwe: [754],
    example: ['javascript', 'saveUser(user);', 'await saveUser(user);'],
  }),
  rule({
    id: 'nyx/maintainability/function-length', title: 'Long function', severity: 'warning', languages: CODE,
    docs: 'Functions longer than 80 lines are hard to read and test. Extract steps into named functions.',
    example: ['javascript', 'function checkout(cart) {\n  // 120 lines: validate, price, tax, charge, email\n}', 'function checkout(cart) {\n  validate(cart);\n  const total = price(cart);\n  charge(cart.customer, total);\n  sendReceipt(cart, total);\n}'],
  }),
  rule({
    id: 'nyx/maintainability/nesting-depth', title: 'Deep nesting', severity: 'warning', languages: CODE,
    docs: 'Control flow nested more than 4 levels deep (if/for/while/switch/try) inside one function. Return early or extract the inner block.',
    cwe: [1124],
    example: ['python', 'for o in orders:\n    if o.paid:\n        for item in o.items:\n            if item.stock:\n                if item.ships:\n                    ship(item)', 'for o in orders:\n    if not o.paid:\n        continue\n    ship_items(o.items)  # the inner checks live in ship_items'],
  }),
  rule({
    id: 'nyx/maintainability/cyclomatic-complexity', title: 'High cyclomatic complexity', severity: 'warning', languages: CODE,
    docs: 'More than 15 independent paths through one function (1 + each if, loop, case, catch, ternary, `&&`, `||`). Split the function.',
    cwe: [1121],
    example: ['javascript', 'function fee(u) { if (a) … else if (b) … /* 20 branches */ }', 'const FEES = { gold: 0, silver: 2, basic: 5 };\nfunction fee(u) { return FEES[u.plan] ?? 5; }'],
  }),
  rule({
    id: 'nyx/maintainability/file-size', title: 'Large file', severity: 'warning', languages: ['*'],
    docs: 'Files over 1000 lines are hard to navigate. Split by responsibility. Files over 1 MiB are only scanned for secrets.',
    cwe: [1080],
  }),
  rule({
    id: 'nyx/maintainability/todo-comment', title: 'TODO/FIXME/HACK comment', severity: 'info', languages: CODE,
    docs: 'Marks unfinished work. Track it in an issue or finish it. Each marker is reported at its own line, also inside block comments.',
    cwe: [546],
    example: ['javascript', '// TODO: check the signature\nconst payload = decode(token);', 'const payload = verify(token, publicKey); // tracked in #123 until then'],
  }),
  rule({
    id: 'nyx/input/not-utf8', title: 'File is not valid UTF-8', severity: 'info', languages: ['*'],
    docs: 'The file is not binary but is not valid UTF-8, so it was not analyzed. Re-encode it as UTF-8 to get findings.',
  }),
];

export const ruleById: ReadonlyMap<string, RuleInfo> = new Map(rules.map((r) => [r.id, r]));
