/** Where data is used in Java: each sink vulnerable and sanitized. */
import { stop } from './java-frameworks.ts';
import type { Emit, Framework, Sink } from './model.ts';

const JDBC = { imports: ['java.sql.Connection', 'java.sql.ResultSet', 'java.sql.Statement', 'javax.sql.DataSource'], top: ['private DataSource dataSource;'] };
const PREP = { imports: ['java.sql.Connection', 'java.sql.PreparedStatement', 'java.sql.ResultSet', 'javax.sql.DataSource'], top: ['private DataSource dataSource;'] };
const JDBC_TEMPLATE = { imports: ['org.springframework.jdbc.core.JdbcTemplate'], top: ['private JdbcTemplate jdbcTemplate;'] };
const JPA = { imports: ['jakarta.persistence.EntityManager', 'jakarta.persistence.PersistenceContext'], top: ['@PersistenceContext\nprivate EntityManager entityManager;'] };
const LDAP = {
  imports: ['java.util.Hashtable', 'javax.naming.Context', 'javax.naming.NamingEnumeration', 'javax.naming.directory.DirContext', 'javax.naming.directory.InitialDirContext', 'javax.naming.directory.SearchControls', 'javax.naming.directory.SearchResult'],
  top: ['private static DirContext directory() throws Exception {\n    Hashtable<String, String> env = new Hashtable<>();\n    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");\n    env.put(Context.PROVIDER_URL, "ldap://directory.internal:389");\n    return new InitialDirContext(env);\n}'],
};
const XPATH = {
  imports: ['javax.xml.parsers.DocumentBuilderFactory', 'javax.xml.xpath.XPath', 'javax.xml.xpath.XPathFactory', 'org.w3c.dom.Document'],
  top: ['private static Document users() throws Exception {\n    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse("data/users.xml");\n}'],
};
const MONGO = { imports: ['com.mongodb.client.MongoCollection', 'org.bson.Document'], top: ['private MongoCollection<Document> accounts;'] };
const SLF4J = (unit = 'getClass()') => ({ imports: ['org.slf4j.Logger', 'org.slf4j.LoggerFactory'], top: [`private final Logger log = LoggerFactory.getLogger(${unit});`] });
const join = (...parts: Array<Partial<Emit>>): Emit => ({ imports: parts.flatMap((p) => p.imports ?? []), top: parts.flatMap((p) => p.top ?? []), lines: parts.flatMap((p) => p.lines ?? []) });
const redirect = (fw: Framework, target: string): string[] =>
  fw.id === 'spring' ? [`return ResponseEntity.status(302).location(java.net.URI.create(${target})).build();`] : [`response.sendRedirect(${target});`];

export function javaSinks(): Sink[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'sqli',
      keys: ['customer', 'email', 'lastName', 'sku', 'region', 'owner'],
      literals: ['"acme"', '"ops@example.com"', '"EMEA"'],
      numericSafe: true,
      count: 8,
      vulnerable: [
        (v, fw) => ({ ...JDBC, lines: ['Connection conn = dataSource.getConnection();', 'Statement statement = conn.createStatement();', `ResultSet rs = statement.executeQuery("SELECT id, total FROM orders WHERE customer = '" + ${v} + "'");`, fw.respond('"found: " + rs.next()')] }),
        (v, fw) => ({ ...PREP, lines: [`String sql = "SELECT * FROM users WHERE email = '" + ${v} + "'";`, 'Connection conn = dataSource.getConnection();', 'PreparedStatement ps = conn.prepareStatement(sql);', 'ResultSet rs = ps.executeQuery();', fw.respond('"found: " + rs.next()')] }),
        (v, fw) => ({ ...JDBC_TEMPLATE, lines: [`java.util.List<java.util.Map<String, Object>> rows = jdbcTemplate.queryForList("SELECT name FROM products WHERE sku = '" + ${v} + "'");`, fw.respond('"rows: " + rows.size()')] }),
        (v, fw) => ({ ...JPA, lines: [`java.util.List<?> accounts = entityManager.createQuery("FROM Account a WHERE a.owner = '" + ${v} + "'").getResultList();`, fw.respond('"accounts: " + accounts.size()')] }),
        (v, fw) => ({ ...JDBC, lines: [`StringBuilder query = new StringBuilder("SELECT * FROM invoices WHERE region = '");`, `query.append(${v}).append("' LIMIT 50");`, 'Connection conn = dataSource.getConnection();', 'boolean any = conn.createStatement().execute(query.toString());', fw.respond('"ok: " + any')] }),
        (v, fw) => ({ ...JDBC, lines: [`String update = String.format("UPDATE carts SET region = '%s' WHERE id = 1", ${v});`, 'Statement statement = dataSource.getConnection().createStatement();', 'statement.addBatch(update);', 'statement.executeBatch();', fw.respond('"updated"')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...PREP, lines: ['Connection conn = dataSource.getConnection();', 'PreparedStatement ps = conn.prepareStatement("SELECT id, total FROM orders WHERE customer = ?");', `ps.setString(1, ${v});`, 'ResultSet rs = ps.executeQuery();', fw.respond('"found: " + rs.next()')] }),
        (v, fw) => ({ ...PREP, lines: ['String sql = "SELECT * FROM users WHERE email = ?";', 'Connection conn = dataSource.getConnection();', 'PreparedStatement ps = conn.prepareStatement(sql);', `ps.setString(1, ${v});`, 'ResultSet rs = ps.executeQuery();', fw.respond('"found: " + rs.next()')] }),
        (v, fw) => ({ ...JDBC_TEMPLATE, lines: [`java.util.List<java.util.Map<String, Object>> rows = jdbcTemplate.queryForList("SELECT name FROM products WHERE sku = ?", ${v});`, fw.respond('"rows: " + rows.size()')] }),
        (v, fw) => ({ ...JPA, lines: [`java.util.List<?> accounts = entityManager.createQuery("FROM Account a WHERE a.owner = :owner").setParameter("owner", ${v}).getResultList();`, fw.respond('"accounts: " + accounts.size()')] }),
      ],
    },
    {
      cwe: 'CWE-78',
      stem: 'cmdi',
      keys: ['host', 'archive', 'branch', 'image', 'target'],
      literals: ['"example.com"', '"backup.tar"'],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ lines: [`Process p = Runtime.getRuntime().exec("ping -c 1 " + ${v});`, fw.respond('"exit " + p.waitFor()')] }),
        (v, fw) => ({ lines: ['Runtime r = Runtime.getRuntime();', `String[] args = {"sh", "-c", "tar -tf " + ${v}};`, 'Process p = r.exec(args);', fw.respond('"exit " + p.waitFor()')] }),
        (v, fw) => ({ lines: [`ProcessBuilder pb = new ProcessBuilder("sh", "-c", "git log --oneline " + ${v});`, 'Process p = pb.start();', fw.respond('"exit " + p.waitFor()')] }),
        (v, fw) => ({ imports: ['java.util.ArrayList', 'java.util.List'], lines: ['List<String> command = new ArrayList<>();', 'command.add("bash");', 'command.add("-c");', `command.add("docker pull " + ${v});`, 'ProcessBuilder pb = new ProcessBuilder();', 'pb.command(command);', 'pb.start();', fw.respond('"pulling"')] }),
      ],
      sanitized: [
        (v, fw) => ({ lines: [`if (!${v}.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {`, ...stop(fw, 'invalid host').map((l) => '    ' + l), '}', `Process p = Runtime.getRuntime().exec("ping -c 1 " + ${v});`, fw.respond('"exit " + p.waitFor()')] }),
        (v, fw) => ({ imports: ['java.util.Set'], top: ['private static final Set<String> ARCHIVES = Set.of("daily.tar", "weekly.tar");'], lines: [`if (!ARCHIVES.contains(${v})) {`, ...stop(fw, 'unknown archive').map((l) => '    ' + l), '}', 'Runtime r = Runtime.getRuntime();', `String[] args = {"sh", "-c", "tar -tf " + ${v}};`, 'Process p = r.exec(args);', fw.respond('"exit " + p.waitFor()')] }),
      ],
    },
    {
      cwe: 'CWE-22',
      stem: 'path',
      keys: ['file', 'report', 'avatar', 'attachment', 'doc'],
      literals: ['"summary.pdf"', '"logo.png"'],
      numericSafe: true,
      count: 8,
      vulnerable: [
        (v, fw) => ({ imports: ['java.io.File', 'java.io.FileInputStream'], top: ['private static final String UPLOADS = "/srv/app/uploads";'], lines: [`File requested = new File(UPLOADS, ${v});`, 'try (FileInputStream in = new FileInputStream(requested)) {', '    in.transferTo(response.getOutputStream());', '}', fw.respond('""')] }),
        (v, fw) => ({ imports: ['java.nio.file.Files', 'java.nio.file.Paths'], lines: [`byte[] content = Files.readAllBytes(Paths.get("/var/reports", ${v}));`, fw.respond('"bytes: " + content.length')] }),
        (v, fw) => ({ imports: ['java.io.FileOutputStream'], top: ['private static final String EXPORTS = "/tmp/exports/";'], lines: [`try (FileOutputStream out = new FileOutputStream(EXPORTS + ${v} + ".csv")) {`, '    out.write("id,total\\n".getBytes());', '}', fw.respond('"written"')] }),
        (v, fw) => ({ imports: ['java.nio.file.Files', 'java.nio.file.Path'], top: ['private static final Path NOTES = Path.of("/srv/notes");'], lines: [`Files.deleteIfExists(NOTES.resolve(${v}));`, fw.respond('"deleted"')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['java.io.File', 'java.io.FileInputStream'], top: ['private static final String UPLOADS = "/srv/app/uploads";'], lines: [`File requested = new File(UPLOADS, new File(${v}).getName());`, 'try (FileInputStream in = new FileInputStream(requested)) {', '    in.transferTo(response.getOutputStream());', '}', fw.respond('""')] }),
        (v, fw) => ({
          imports: ['java.nio.file.Files', 'java.nio.file.Path', 'java.nio.file.Paths'],
          top: ['private static final Path REPORTS = Paths.get("/var/reports").toAbsolutePath().normalize();'],
          lines: [`Path target = REPORTS.resolve(${v}).normalize();`, 'if (!target.startsWith(REPORTS)) {', ...stop(fw, 'forbidden').map((l) => '    ' + l), '}', 'byte[] content = Files.readAllBytes(target);', fw.respond('"bytes: " + content.length')],
        }),
        (v, fw) => ({ imports: ['java.io.FileOutputStream', 'org.apache.commons.io.FilenameUtils'], top: ['private static final String EXPORTS = "/tmp/exports/";'], lines: [`try (FileOutputStream out = new FileOutputStream(EXPORTS + FilenameUtils.getName(${v}) + ".csv")) {`, '    out.write("id,total\\n".getBytes());', '}', fw.respond('"written"')] }),
      ],
    },
    {
      cwe: 'CWE-79',
      stem: 'xss',
      keys: ['name', 'q', 'title', 'message', 'comment'],
      literals: ['"guest"', '"Welcome"'],
      numericSafe: true,
      count: 8,
      vulnerable: [
        (v, fw) => ({ lines: [fw.respond(`"<h1>Hello " + ${v} + "</h1>"`)] }),
        (v, fw) => ({ lines: [`String page = String.format("<div class=\\"result\\">Results for %s</div>", ${v});`, fw.respond('page')] }),
        (v, fw) => ({ lines: ['StringBuilder html = new StringBuilder("<ul>");', `html.append("<li>").append(${v}).append("</li>");`, 'html.append("</ul>");', fw.respond('html.toString()')] }),
        (v, fw) =>
          fw.id === 'spring'
            ? { lines: [`String banner = "<p class='notice'>" + ${v} + "</p>";`, fw.respond('banner')] }
            : { lines: ['java.io.PrintWriter out = response.getWriter();', `out.printf("<p class='notice'>%s</p>", ${v});`] },
      ],
      sanitized: [
        (v, fw) => ({ imports: ['org.owasp.encoder.Encode'], lines: [fw.respond(`"<h1>Hello " + Encode.forHtml(${v}) + "</h1>"`)] }),
        (v, fw) => ({ imports: ['org.springframework.web.util.HtmlUtils'], lines: [`String page = String.format("<div class=\\"result\\">Results for %s</div>", HtmlUtils.htmlEscape(${v}));`, fw.respond('page')] }),
        (v, fw) => ({ imports: ['org.apache.commons.text.StringEscapeUtils'], lines: ['StringBuilder html = new StringBuilder("<ul>");', `html.append("<li>").append(StringEscapeUtils.escapeHtml4(${v})).append("</li>");`, 'html.append("</ul>");', fw.respond('html.toString()')] }),
        (v, fw) =>
          fw.id === 'spring'
            ? { imports: ['org.owasp.esapi.ESAPI'], lines: [`String banner = "<p class='notice'>" + ESAPI.encoder().encodeForHTML(${v}) + "</p>";`, fw.respond('banner')] }
            : { imports: ['org.owasp.esapi.ESAPI'], lines: ['java.io.PrintWriter out = response.getWriter();', `out.printf("<p class='notice'>%s</p>", ESAPI.encoder().encodeForHTML(${v}));`] },
      ],
    },
    {
      cwe: 'CWE-90',
      stem: 'ldapi',
      keys: ['username', 'uid', 'mail', 'group'],
      literals: ['"jdoe"'],
      count: 6,
      vulnerable: [
        (v, fw) => ({ ...LDAP, lines: ['DirContext ctx = directory();', 'SearchControls controls = new SearchControls();', 'controls.setSearchScope(SearchControls.SUBTREE_SCOPE);', `NamingEnumeration<SearchResult> results = ctx.search("ou=people,dc=example,dc=com", "(uid=" + ${v} + ")", controls);`, fw.respond('"found: " + results.hasMore()')] }),
        (v, fw) => ({ ...LDAP, lines: [`String filter = "(&(objectClass=person)(mail=" + ${v} + "))";`, 'DirContext ctx = directory();', 'NamingEnumeration<SearchResult> results = ctx.search("dc=example,dc=com", filter, new SearchControls());', fw.respond('"found: " + results.hasMore()')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...LDAP, lines: ['DirContext ctx = directory();', 'SearchControls controls = new SearchControls();', 'controls.setSearchScope(SearchControls.SUBTREE_SCOPE);', `NamingEnumeration<SearchResult> results = ctx.search("ou=people,dc=example,dc=com", "(uid={0})", new Object[] {${v}}, controls);`, fw.respond('"found: " + results.hasMore()')] }),
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, 'org.springframework.ldap.support.LdapEncoder'], lines: [`String filter = "(&(objectClass=person)(mail=" + LdapEncoder.filterEncode(${v}) + "))";`, 'DirContext ctx = directory();', 'NamingEnumeration<SearchResult> results = ctx.search("dc=example,dc=com", filter, new SearchControls());', fw.respond('"found: " + results.hasMore()')] }),
      ],
    },
    {
      cwe: 'CWE-643',
      stem: 'xpathi',
      keys: ['user', 'role', 'sku'],
      literals: ['"admin"'],
      count: 6,
      vulnerable: [
        (v, fw) => ({ ...XPATH, lines: ['XPath xp = XPathFactory.newInstance().newXPath();', `String email = xp.evaluate("/users/user[@name='" + ${v} + "']/email", users());`, fw.respond('"email: " + (email.isEmpty() ? "none" : "found")')] }),
        (v, fw) => ({ ...XPATH, imports: [...XPATH.imports, 'javax.xml.xpath.XPathConstants', 'javax.xml.xpath.XPathExpression'], lines: [`String expression = String.format("/catalog/item[@sku='%s']/price", ${v});`, 'XPathExpression compiled = XPathFactory.newInstance().newXPath().compile(expression);', 'Object price = compiled.evaluate(users(), XPathConstants.NODE);', fw.respond('"priced: " + (price != null)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...XPATH, imports: [...XPATH.imports, 'javax.xml.namespace.QName'], lines: ['XPath xp = XPathFactory.newInstance().newXPath();', `final String wanted = ${v};`, 'xp.setXPathVariableResolver((QName variable) -> wanted);', 'String email = xp.evaluate("/users/user[@name=$name]/email", users());', fw.respond('"email: " + (email.isEmpty() ? "none" : "found")')] }),
        (v, fw) => ({ ...XPATH, imports: [...XPATH.imports, 'javax.xml.xpath.XPathConstants', 'javax.xml.xpath.XPathExpression'], lines: [`if (!${v}.matches("[A-Za-z0-9-]{1,32}")) {`, ...stop(fw, 'invalid sku').map((l) => '    ' + l), '}', `String expression = String.format("/catalog/item[@sku='%s']/price", ${v});`, 'XPathExpression compiled = XPathFactory.newInstance().newXPath().compile(expression);', 'Object price = compiled.evaluate(users(), XPathConstants.NODE);', fw.respond('"priced: " + (price != null)')] }),
      ],
    },
    {
      cwe: 'CWE-501',
      stem: 'trust',
      keys: ['role', 'tenant', 'plan', 'locale'],
      literals: ['"viewer"'],
      count: 6,
      vulnerable: [
        (v, fw, key) => ({ lines: [`request.getSession().setAttribute("${key}", ${v});`, fw.respond('"updated"')] }),
        (v, fw, key) => ({ imports: ['jakarta.servlet.http.HttpSession'], lines: ['HttpSession session = request.getSession(true);', `session.putValue("${key}", ${v});`, fw.respond('"ok"')] }),
      ],
      sanitized: [
        (v, fw, key) => ({ imports: ['java.util.Set'], top: ['private static final Set<String> ALLOWED = Set.of("viewer", "editor", "en", "fr");'], lines: [`if (ALLOWED.contains(${v})) {`, `    request.getSession().setAttribute("${key}", ${v});`, '}', fw.respond('"updated"')] }),
        (v, fw, key) => ({ imports: ['jakarta.servlet.http.HttpSession', 'java.util.Map'], top: ['private static final Map<String, String> PLANS = Map.of("free", "free", "pro", "pro");'], lines: ['HttpSession session = request.getSession(true);', `session.putValue("${key}", PLANS.getOrDefault(${v}, "free"));`, fw.respond('"ok"')] }),
      ],
    },
    {
      cwe: 'CWE-918',
      stem: 'ssrf',
      keys: ['url', 'endpoint', 'webhook', 'feed'],
      literals: ['"https://status.example.com/health"'],
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['java.net.HttpURLConnection', 'java.net.URL'], lines: [`HttpURLConnection connection = (HttpURLConnection) new URL(${v}).openConnection();`, fw.respond('"status " + connection.getResponseCode()')] }),
        (v, fw) => ({ imports: ['org.springframework.web.client.RestTemplate'], top: ['private final RestTemplate restTemplate = new RestTemplate();'], lines: [`String body = restTemplate.getForObject(${v} + "/metrics", String.class);`, fw.respond('"length " + body.length()')] }),
        (v, fw) => ({ imports: ['java.net.URI', 'java.net.http.HttpClient', 'java.net.http.HttpRequest', 'java.net.http.HttpResponse'], lines: [`HttpRequest outbound = HttpRequest.newBuilder(URI.create(${v})).GET().build();`, 'HttpResponse<String> reply = HttpClient.newHttpClient().send(outbound, HttpResponse.BodyHandlers.ofString());', fw.respond('"status " + reply.statusCode()')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['java.net.HttpURLConnection', 'java.net.URL', 'java.util.Set'], top: ['private static final Set<String> ALLOWED_HOSTS = Set.of("status.example.com", "api.example.com");'], lines: [`URL target = new URL(${v});`, 'if (!"https".equals(target.getProtocol()) || !ALLOWED_HOSTS.contains(target.getHost())) {', ...stop(fw, 'blocked').map((l) => '    ' + l), '}', 'HttpURLConnection connection = (HttpURLConnection) target.openConnection();', fw.respond('"status " + connection.getResponseCode()')] }),
        (v, fw) => ({ imports: ['org.springframework.web.client.RestTemplate', 'java.util.Map'], top: ['private final RestTemplate restTemplate = new RestTemplate();', 'private static final Map<String, String> UPSTREAMS = Map.of("billing", "https://billing.internal", "search", "https://search.internal");'], lines: [`String base = UPSTREAMS.get(${v});`, 'if (base == null) {', ...stop(fw, 'unknown upstream').map((l) => '    ' + l), '}', 'String body = restTemplate.getForObject(base + "/metrics", String.class);', fw.respond('"length " + body.length()')] }),
      ],
    },
    {
      cwe: 'CWE-601',
      stem: 'redirect',
      keys: ['next', 'returnTo', 'redirectUrl', 'continueUrl'],
      literals: ['"/dashboard"'],
      count: 6,
      vulnerable: [(v, fw) => ({ lines: redirect(fw, v) }), (v, fw) => ({ lines: [`String destination = ${v} + "?welcome=1";`, ...redirect(fw, 'destination')] })],
      sanitized: [
        (v, fw) => ({ imports: ['java.net.URI'], lines: [`URI parsed = URI.create(${v});`, 'String destination = parsed.getHost() == null && parsed.getScheme() == null && parsed.getPath().startsWith("/") && !parsed.getPath().startsWith("//") ? parsed.getPath() : "/";', ...redirect(fw, 'destination')] }),
        (v, fw) => ({ imports: ['java.net.URLEncoder', 'java.nio.charset.StandardCharsets'], lines: [`String destination = "/profile/" + URLEncoder.encode(${v}, StandardCharsets.UTF_8) + "?welcome=1";`, ...redirect(fw, 'destination')] }),
      ],
    },
    {
      cwe: 'CWE-943',
      stem: 'nosqli',
      keys: ['owner', 'status', 'username', 'team'],
      literals: ['"active"'],
      numericSafe: true,
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'com.mongodb.BasicDBObject'], lines: [`long count = accounts.countDocuments(new BasicDBObject("$where", "this.owner == '" + ${v} + "'"));`, fw.respond('"count " + count')] }),
        (v, fw) => ({ ...MONGO, lines: [`Document filter = Document.parse("{ status: '" + ${v} + "', deleted: false }");`, 'long count = accounts.countDocuments(filter);', fw.respond('"count " + count')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'com.mongodb.client.model.Filters'], lines: [`long count = accounts.countDocuments(Filters.eq("owner", ${v}));`, fw.respond('"count " + count')] }),
        (v, fw) => ({ ...MONGO, lines: [`Document filter = new Document("status", ${v}).append("deleted", false);`, 'long count = accounts.countDocuments(filter);', fw.respond('"count " + count')] }),
      ],
    },
    {
      cwe: 'CWE-117',
      stem: 'logi',
      keys: ['username', 'coupon', 'agent', 'referrer'],
      literals: ['"anonymous"'],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => join(SLF4J(), { lines: [`log.info("Login failed for " + ${v});`, fw.respond('"denied"')] }),
        (v, fw) => ({ imports: ['java.util.logging.Logger'], top: ['private static final Logger LOGGER = Logger.getLogger("audit");'], lines: [`LOGGER.warning("unknown coupon " + ${v});`, fw.respond('"invalid"')] }),
        (v, fw) => join(SLF4J(), { lines: [`log.warn("request from agent {}", ${v});`, fw.respond('"ok"')] }),
      ],
      sanitized: [
        (v, fw) => join(SLF4J(), { lines: [`String printable = ${v}.replaceAll("[\\r\\n]", "_");`, 'log.info("Login failed for " + printable);', fw.respond('"denied"')] }),
        (v, fw) => ({ imports: ['java.util.logging.Logger', 'org.owasp.encoder.Encode'], top: ['private static final Logger LOGGER = Logger.getLogger("audit");'], lines: [`LOGGER.warning("unknown coupon " + Encode.forJava(${v}));`, fw.respond('"invalid"')] }),
        (v, fw) => join(SLF4J(), { imports: ['org.apache.commons.text.StringEscapeUtils'], lines: [`log.warn("request from agent {}", StringEscapeUtils.escapeJava(${v}));`, fw.respond('"ok"')] }),
      ],
    },
    {
      cwe: 'CWE-94',
      stem: 'codei',
      keys: ['expr', 'formula', 'rule', 'transform'],
      literals: ['"1 + 1"'],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['javax.script.ScriptEngine', 'javax.script.ScriptEngineManager'], lines: ['ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");', `Object outcome = engine.eval(${v});`, fw.respond('"result " + outcome')] }),
        (v, fw) => ({ imports: ['org.springframework.expression.ExpressionParser', 'org.springframework.expression.spel.standard.SpelExpressionParser'], lines: ['ExpressionParser parser = new SpelExpressionParser();', `Object outcome = parser.parseExpression(${v}).getValue();`, fw.respond('"result " + outcome')] }),
        (v, fw) => ({ imports: ['groovy.lang.GroovyShell'], lines: [`Object outcome = new GroovyShell().evaluate(${v});`, fw.respond('"result " + outcome')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['javax.script.Bindings', 'javax.script.ScriptEngine', 'javax.script.ScriptEngineManager'], lines: ['ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");', 'Bindings bindings = engine.createBindings();', `bindings.put("price", ${v});`, 'Object outcome = engine.eval("Number(price) * 2", bindings);', fw.respond('"result " + outcome')] }),
        (v, fw) => ({ imports: ['org.springframework.expression.ExpressionParser', 'org.springframework.expression.spel.standard.SpelExpressionParser', 'org.springframework.expression.spel.support.SimpleEvaluationContext'], lines: ['ExpressionParser parser = new SpelExpressionParser();', `Object outcome = parser.parseExpression(${v}).getValue(SimpleEvaluationContext.forReadOnlyDataBinding().build());`, fw.respond('"result " + outcome')] }),
      ],
    },
    {
      cwe: 'CWE-502',
      stem: 'deser',
      keys: ['profile', 'state', 'prefs', 'cart'],
      literals: ['"rO0ABXQABGRhcms="'],
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: ['java.io.ByteArrayInputStream', 'java.io.ObjectInputStream', 'java.util.Base64'], lines: [`byte[] raw = Base64.getDecoder().decode(${v});`, 'try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(raw))) {', '    Object restored = in.readObject();', `    ${fw.id === 'spring' ? `return ResponseEntity.ok("restored " + restored.getClass().getSimpleName());` : 'response.getWriter().println("restored " + restored.getClass().getSimpleName());'}`, '}'] }),
        (v, fw) => ({ imports: ['java.beans.XMLDecoder', 'java.io.ByteArrayInputStream', 'java.nio.charset.StandardCharsets'], lines: [`XMLDecoder decoder = new XMLDecoder(new ByteArrayInputStream(${v}.getBytes(StandardCharsets.UTF_8)));`, 'Object restored = decoder.readObject();', fw.respond('"restored " + restored.getClass().getSimpleName()')] }),
        (v, fw) => ({ imports: ['org.yaml.snakeyaml.Yaml'], lines: [`Object restored = new Yaml().load(${v});`, fw.respond('"restored " + restored')] }),
        (v, fw) => ({ imports: ['com.thoughtworks.xstream.XStream'], lines: ['XStream xstream = new XStream();', `Object restored = xstream.fromXML(${v});`, fw.respond('"restored " + restored')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['java.io.ByteArrayInputStream', 'java.io.ObjectInputFilter', 'java.io.ObjectInputStream', 'java.util.Base64'], lines: [`byte[] raw = Base64.getDecoder().decode(${v});`, 'try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(raw))) {', '    in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.model.Preferences;java.lang.String;!*"));', '    Object restored = in.readObject();', `    ${fw.id === 'spring' ? `return ResponseEntity.ok("restored " + restored.getClass().getSimpleName());` : 'response.getWriter().println("restored " + restored.getClass().getSimpleName());'}`, '}'] }),
        (v, fw) => ({ imports: ['com.fasterxml.jackson.databind.ObjectMapper', 'java.util.Map'], lines: [`Map<?, ?> restored = new ObjectMapper().readValue(${v}, Map.class);`, fw.respond('"restored " + restored.size()')] }),
        (v, fw) => ({ imports: ['org.yaml.snakeyaml.LoaderOptions', 'org.yaml.snakeyaml.Yaml', 'org.yaml.snakeyaml.constructor.SafeConstructor'], lines: [`Object restored = new Yaml(new SafeConstructor(new LoaderOptions())).load(${v});`, fw.respond('"restored " + restored')] }),
        (v, fw) => ({ imports: ['com.thoughtworks.xstream.XStream', 'com.thoughtworks.xstream.security.NoTypePermission'], lines: ['XStream xstream = new XStream();', 'xstream.addPermission(NoTypePermission.NONE);', 'xstream.allowTypes(new Class[] {String.class});', `Object restored = xstream.fromXML(${v});`, fw.respond('"restored " + restored')] }),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'redos',
      keys: ['pattern', 'filter', 'search', 'mask'],
      literals: ['"^[a-z]+$"'],
      count: 5,
      vulnerable: [
        (v, fw) => ({ imports: ['java.util.regex.Pattern'], lines: [`Pattern matcher = Pattern.compile(${v});`, 'boolean hit = matcher.matcher("report-2024.pdf").find();', fw.respond('"hit " + hit')] }),
        (v, fw) => ({ lines: [`boolean hit = "report-2024.pdf".matches("^" + ${v} + "$");`, fw.respond('"hit " + hit')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['java.util.regex.Pattern'], lines: [`Pattern matcher = Pattern.compile(Pattern.quote(${v}));`, 'boolean hit = matcher.matcher("report-2024.pdf").find();', fw.respond('"hit " + hit')] }),
        (v, fw) => ({ lines: [`boolean hit = "report-2024.pdf".contains(${v});`, fw.respond('"hit " + hit')] }),
      ],
    },
    {
      cwe: 'CWE-611',
      stem: 'xxe',
      keys: ['xml', 'payload', 'feed', 'document'],
      literals: ['"<order id=\\"1\\"/>"'],
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.parsers.DocumentBuilder', 'javax.xml.parsers.DocumentBuilderFactory', 'org.w3c.dom.Document', 'org.xml.sax.InputSource'], lines: ['DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();', 'DocumentBuilder builder = dbf.newDocumentBuilder();', `Document parsed = builder.parse(new InputSource(new StringReader(${v})));`, fw.respond('"root " + parsed.getDocumentElement().getTagName()')] }),
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.parsers.SAXParserFactory', 'org.xml.sax.InputSource', 'org.xml.sax.helpers.DefaultHandler'], lines: ['SAXParserFactory spf = SAXParserFactory.newInstance();', `spf.newSAXParser().parse(new InputSource(new StringReader(${v})), new DefaultHandler());`, fw.respond('"parsed"')] }),
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.stream.XMLInputFactory', 'javax.xml.stream.XMLStreamReader'], lines: ['XMLInputFactory xif = XMLInputFactory.newInstance();', `XMLStreamReader reader = xif.createXMLStreamReader(new StringReader(${v}));`, 'int events = 0;', 'while (reader.hasNext()) {', '    reader.next();', '    events++;', '}', fw.respond('"events " + events')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.parsers.DocumentBuilder', 'javax.xml.parsers.DocumentBuilderFactory', 'org.w3c.dom.Document', 'org.xml.sax.InputSource'], lines: ['DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();', 'dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);', 'DocumentBuilder builder = dbf.newDocumentBuilder();', `Document parsed = builder.parse(new InputSource(new StringReader(${v})));`, fw.respond('"root " + parsed.getDocumentElement().getTagName()')] }),
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.parsers.SAXParserFactory', 'org.xml.sax.InputSource', 'org.xml.sax.helpers.DefaultHandler'], lines: ['SAXParserFactory spf = SAXParserFactory.newInstance();', 'spf.setFeature("http://xml.org/sax/features/external-general-entities", false);', 'spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);', 'spf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);', `spf.newSAXParser().parse(new InputSource(new StringReader(${v})), new DefaultHandler());`, fw.respond('"parsed"')] }),
        (v, fw) => ({ imports: ['java.io.StringReader', 'javax.xml.stream.XMLInputFactory', 'javax.xml.stream.XMLStreamReader'], lines: ['XMLInputFactory xif = XMLInputFactory.newInstance();', 'xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);', `XMLStreamReader reader = xif.createXMLStreamReader(new StringReader(${v}));`, 'int events = 0;', 'while (reader.hasNext()) {', '    reader.next();', '    events++;', '}', fw.respond('"events " + events')] }),
      ],
    },
  ];
}
