import type { Language, RuleInfo } from '#protocol/findings.ts';
import type { SinkKind } from './models.ts';

/**
 * The data-flow rules: one per sink kind. The taint engine reports them with the flow path from
 * source to sink; rule-catalog.ts spreads this list into the catalog.
 */

const ALL: Language[] = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java'];
const INJECTION = 'A03:2021 Injection';
const cwe = (id: number) => `https://cwe.mitre.org/data/definitions/${id}.html`;
const cheat = (name: string) => `https://cheatsheetseries.owasp.org/cheatsheets/${name}.html`;

interface FlowRule extends RuleInfo {
  kind: SinkKind;
}

function flowRule(kind: SinkKind, id: string, title: string, cweIds: number[], owasp: string, docs: string, vulnerable: string, fixed: string, language: string, references: string[]): FlowRule {
  return {
    kind,
    id: `nyx/injection/${id}`,
    title,
    // forged log lines, session pollution and slow regexes hurt, but less directly than code running
    severity: kind === 'log' || kind === 'trust-boundary' || kind === 'regex' ? 'warning' : 'error',
    languages: ALL,
    fixable: false,
    docs: `${docs}\n\nReported when data from an untrusted source (request parameters, headers, cookies, bodies) reaches this sink without a sanitizer for it; the finding shows the path the data took.`,
    cwe: cweIds.map((n) => `CWE-${n}`),
    owasp: [owasp],
    examples: { vulnerable, fixed, language },
    references: [...cweIds.map(cwe), ...references],
  };
}

export const flowRules: readonly FlowRule[] = [
  flowRule('sql', 'sql', 'SQL injection', [89], INJECTION,
    'Untrusted data is built into a SQL statement. An attacker can change the query: read other rows, bypass login, modify or drop data. Pass values as bind parameters (`?`, `$1`, `%s` with a separate argument list, `PreparedStatement.setString`), never by string building.',
    'const id = req.query.id;\ndb.query("SELECT * FROM users WHERE id = " + id);',
    'const id = req.query.id;\ndb.query("SELECT * FROM users WHERE id = $1", [id]);', 'javascript', [cheat('SQL_Injection_Prevention_Cheat_Sheet')]),
  flowRule('command', 'command', 'OS command injection', [78], INJECTION,
    'Untrusted data reaches a shell command. Shell metacharacters (`;`, `|`, `$()`) let an attacker run any program with the server\'s rights. Run the program directly with an argument list and no shell (`execFile`, `subprocess.run([...])`, `ProcessBuilder(list)`), and validate arguments against an allow-list.',
    'import os\nos.system("ping " + request.args["host"])',
    'import subprocess\nsubprocess.run(["ping", "-c", "1", request.args["host"]])', 'python', [cheat('OS_Command_Injection_Defense_Cheat_Sheet')]),
  flowRule('path', 'path-traversal', 'Path traversal', [22], 'A01:2021 Broken Access Control',
    'Untrusted data names a file. With `../` or an absolute path an attacker reads or overwrites files outside the intended folder. Resolve the path, then check it still starts with the base folder (or map ids to names through an allow-list).',
    'res.sendFile(path.join(BASE, req.params.name));',
    'const file = path.resolve(BASE, req.params.name);\nif (!file.startsWith(BASE + path.sep)) return res.sendStatus(400);\nres.sendFile(file);', 'javascript', [cheat('Input_Validation_Cheat_Sheet'), 'https://owasp.org/www-community/attacks/Path_Traversal']),
  flowRule('xss', 'xss', 'Cross-site scripting', [79], INJECTION,
    'Untrusted data is written into an HTML response or the DOM without encoding. An attacker injects script that runs in other users\' browsers with their session. Encode for the context (`escape-html`, `html.escape`, OWASP Encoder `forHtml`), use auto-escaping templates, or `textContent` in the DOM.',
    'res.send("<p>Hello " + req.query.name + "</p>");',
    'const escapeHtml = require("escape-html");\nres.send("<p>Hello " + escapeHtml(req.query.name) + "</p>");', 'javascript', [cheat('Cross_Site_Scripting_Prevention_Cheat_Sheet')]),
  flowRule('ldap', 'ldap', 'LDAP injection', [90], INJECTION,
    'Untrusted data is built into an LDAP search filter. Characters like `*`, `(`, `)` change the filter and can expose or match every entry. Escape filter values (RFC 4515) or use a filter builder with parameters.',
    'ctx.search("ou=people", "(uid=" + request.getParameter("user") + ")", controls);',
    'ctx.search("ou=people", "(uid={0})", new Object[] { request.getParameter("user") }, controls);', 'java', [cheat('LDAP_Injection_Prevention_Cheat_Sheet')]),
  flowRule('xpath', 'xpath', 'XPath injection', [643], INJECTION,
    'Untrusted data is built into an XPath expression. Quotes and operators in it change the query, e.g. to bypass a login check. Use XPath variables (`XPathVariableResolver`, lxml `$name` parameters) or validate against an allow-list.',
    'xp.evaluate("/users/user[@name=\'" + request.getParameter("name") + "\']", doc);',
    'xp.setXPathVariableResolver(v -> request.getParameter("name"));\nxp.evaluate("/users/user[@name=$name]", doc);', 'java', ['https://owasp.org/www-community/attacks/XPATH_Injection']),
  flowRule('trust-boundary', 'trust-boundary', 'Trust boundary violation', [501], 'A04:2021 Insecure Design',
    'Untrusted data is stored in the session, where the rest of the application treats it as trusted. Validate it before it crosses the boundary, or keep it out of the session.',
    'request.getSession().setAttribute("user", request.getParameter("user"));',
    'String user = request.getParameter("user");\nif (USERS.contains(user)) request.getSession().setAttribute("user", user);', 'java', ['https://owasp.org/www-community/vulnerabilities/Trust_Boundary_Violation']),
  flowRule('ssrf', 'ssrf', 'Server-side request forgery', [918], 'A10:2021 Server-Side Request Forgery (SSRF)',
    'The server makes an HTTP request to a URL the attacker controls. It can reach internal services, cloud metadata endpoints and ports the attacker cannot. Allow-list hosts (or whole URLs) and refuse private addresses.',
    'import requests\nrequests.get(request.args["url"])',
    'ALLOWED = {"https://api.example.com/status"}\nurl = request.args["url"]\nif url in ALLOWED:\n    requests.get(url)', 'python', [cheat('Server_Side_Request_Forgery_Prevention_Cheat_Sheet')]),
  flowRule('redirect', 'open-redirect', 'Open redirect', [601], 'A01:2021 Broken Access Control',
    'The response redirects to a URL taken from the request. Attackers send links on your domain that land on their phishing page. Redirect only to relative paths or allow-listed targets.',
    'res.redirect(req.query.next);',
    'const next = req.query.next;\nres.redirect(ALLOWED_TARGETS.includes(next) ? next : "/");', 'javascript', [cheat('Unvalidated_Redirects_and_Forwards_Cheat_Sheet')]),
  flowRule('nosql', 'nosql', 'NoSQL injection', [943], INJECTION,
    'Untrusted data becomes a NoSQL query (a `$where` JavaScript expression, or a whole query object). Operators like `{"$ne": null}` in a request body match every document. Cast values to strings or the expected type and never pass request objects as queries.',
    'users.find({ $where: "this.name == \'" + req.query.name + "\'" });',
    'users.find({ name: String(req.query.name) });', 'javascript', [cheat('Injection_Prevention_Cheat_Sheet')]),
  flowRule('log', 'log', 'Log injection', [117], 'A09:2021 Security Logging and Monitoring Failures',
    'Untrusted data is written to a log. Newlines in it forge log entries that mislead investigations. Strip or encode CR/LF (`replace(/[\\r\\n]/g, "")`) or log structured fields.',
    'logger.info("login failed for " + req.body.user);',
    'logger.info("login failed for " + req.body.user.replace(/[\\r\\n]/g, ""));', 'javascript', [cheat('Logging_Cheat_Sheet')]),
  flowRule('code', 'code', 'Code injection', [94, 95], INJECTION,
    'Untrusted data is evaluated as code (`eval`, `new Function`, `vm.runInContext`, Python `eval`/`exec`, `ScriptEngine.eval`). The attacker runs any code in the server process. Parse data instead (`JSON.parse`, `ast.literal_eval`) or dispatch through a fixed table.',
    'eval(request.form["expr"])',
    'import ast\nast.literal_eval(request.form["expr"])', 'python', [cheat('Injection_Prevention_Cheat_Sheet')]),
  flowRule('deserialization', 'deserialization', 'Unsafe deserialization', [502], 'A08:2021 Software and Data Integrity Failures',
    'Untrusted bytes are deserialized with a format that can build arbitrary objects (`pickle`, `yaml.load` without `SafeLoader`, Java `ObjectInputStream`, `XMLDecoder`, node-serialize). Crafted input runs code. Use a data-only format (JSON) or a safe loader.',
    'import pickle\ndata = pickle.loads(request.data)',
    'import json\ndata = json.loads(request.data)', 'python', [cheat('Deserialization_Cheat_Sheet')]),
  flowRule('regex', 'regex', 'Regular expression built from input', [1333, 400], INJECTION,
    'A regular expression is compiled from untrusted data. A crafted pattern with nested quantifiers makes matching take exponential time and blocks the server (ReDoS). Escape the input (`escapeRegExp`, `re.escape`, `Pattern.quote`, `regexp.QuoteMeta`) or match it as plain text.',
    'const re = new RegExp(req.query.q);',
    'const re = new RegExp(escapeRegExp(req.query.q));', 'javascript', ['https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS']),
];

export const flowRuleIdByKind: ReadonlyMap<SinkKind, string> = new Map([...flowRules.map((rule) => [rule.kind, rule.id] as const), ['nosql-where', 'nyx/injection/nosql'] as const]);

/** The RuleInfo entries (without the engine-internal `kind`). */
export const flowRuleInfos: readonly RuleInfo[] = flowRules.map(({ kind: _kind, ...info }) => info);
