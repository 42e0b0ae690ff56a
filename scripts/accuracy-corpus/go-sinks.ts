/** Where data is used in Go: each sink vulnerable and sanitized. */
import { check, stop } from './go-frameworks.ts';
import type { Emit, Framework, Sink } from './model.ts';

const SQL = { imports: ['database/sql'], top: ['var db *sql.DB'] };
const GORM = { imports: ['gorm.io/gorm'], top: ['var orm *gorm.DB'] };
const LDAP = { imports: ['github.com/go-ldap/ldap/v3'], top: ['var directory *ldap.Conn'] };
const XQ = { imports: ['github.com/antchfx/xmlquery'], top: ['var usersDoc *xmlquery.Node'] };
const MONGO = { imports: ['context', 'go.mongodb.org/mongo-driver/bson', 'go.mongodb.org/mongo-driver/mongo'], top: ['var accounts *mongo.Collection'] };
const html = (fw: Framework, expr: string): Emit =>
  fw.id === 'gin' ? { lines: [`c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(${expr}))`] } : { lines: ['w.Header().Set("Content-Type", "text/html; charset=utf-8")', `w.Write([]byte(${expr}))`] };
const redirect = (fw: Framework, target: string): string[] => (fw.id === 'gin' ? [`c.Redirect(http.StatusFound, ${target})`] : [`http.Redirect(w, r, ${target}, http.StatusFound)`]);
const session = (fw: Framework, key: string, value: string): Emit =>
  fw.id === 'gin'
    ? { imports: ['github.com/gin-contrib/sessions'], lines: ['s := sessions.Default(c)', `s.Set("${key}", ${value})`, '_ = s.Save()'] }
    : { imports: ['github.com/gorilla/sessions'], top: ['var store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))'], lines: ['s, _ := store.Get(r, "app")', `s.Values["${key}"] = ${value}`, '_ = s.Save(r, w)'] };
const join = (...parts: Array<Partial<Emit>>): Emit => ({ imports: parts.flatMap((p) => p.imports ?? []), top: parts.flatMap((p) => p.top ?? []), lines: parts.flatMap((p) => p.lines ?? []) });
const ctx = (fw: Framework) => (fw.id === 'gin' ? 'c.Request.Context()' : 'r.Context()');

export function goSinks(): Sink[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'sqli',
      keys: ['customer', 'email', 'lastName', 'sku', 'region', 'owner'],
      literals: ['"acme"', '"ops@example.com"', '"EMEA"'],
      numericSafe: true,
      count: 8,
      vulnerable: [
        (v, fw) => ({ ...SQL, lines: [`rows, err := db.Query("SELECT id, total FROM orders WHERE customer = '" + ${v} + "'")`, ...check(fw), 'defer rows.Close()', fw.respond('"ok"')] }),
        (v, fw) => ({ ...SQL, imports: ['database/sql', 'fmt'], lines: [`query := fmt.Sprintf("SELECT * FROM users WHERE email = '%s'", ${v})`, `row := db.QueryRowContext(${ctx(fw)}, query)`, 'var id int', '_ = row.Scan(&id)', fw.respond('fmt.Sprint(id)')] }),
        (v, fw) => ({ ...GORM, lines: ['var names []string', `orm.Raw("SELECT name FROM products WHERE sku = '" + ${v} + "'").Scan(&names)`, fw.respond('"found"')] }),
        (v, fw) => ({ ...SQL, imports: ['database/sql', 'strings'], lines: ['var q strings.Builder', `q.WriteString("DELETE FROM sessions WHERE region = '")`, `q.WriteString(${v})`, `q.WriteString("'")`, '_, err := db.Exec(q.String())', ...check(fw), fw.respond('"deleted"')] }),
        (v, fw) => ({ ...GORM, lines: ['var count int64', `orm.Table("accounts").Where("owner = '" + ${v} + "'").Count(&count)`, fw.respond('"counted"')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...SQL, lines: [`rows, err := db.Query("SELECT id, total FROM orders WHERE customer = $1", ${v})`, ...check(fw), 'defer rows.Close()', fw.respond('"ok"')] }),
        (v, fw) => ({ ...SQL, imports: ['database/sql', 'fmt'], lines: [`row := db.QueryRowContext(${ctx(fw)}, "SELECT * FROM users WHERE email = ?", ${v})`, 'var id int', '_ = row.Scan(&id)', fw.respond('fmt.Sprint(id)')] }),
        (v, fw) => ({ ...GORM, lines: ['var names []string', `orm.Raw("SELECT name FROM products WHERE sku = ?", ${v}).Scan(&names)`, fw.respond('"found"')] }),
        (v, fw) => ({ ...SQL, lines: [`_, err := db.Exec("DELETE FROM sessions WHERE region = $1", ${v})`, ...check(fw), fw.respond('"deleted"')] }),
        (v, fw) => ({ ...GORM, lines: ['var count int64', `orm.Table("accounts").Where("owner = ?", ${v}).Count(&count)`, fw.respond('"counted"')] }),
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
        (v, fw) => ({ imports: ['os/exec'], lines: [`out, err := exec.Command("sh", "-c", "ping -c 1 "+${v}).Output()`, ...check(fw), fw.respond('string(out)')] }),
        (v, fw) => ({ imports: ['fmt', 'os/exec'], lines: [`cmd := exec.CommandContext(${ctx(fw)}, "/bin/bash", "-c", fmt.Sprintf("tar -tf %s", ${v}))`, 'out, err := cmd.CombinedOutput()', ...check(fw), fw.respond('string(out)')] }),
        (v, fw) => ({ imports: ['os/exec'], lines: [`script := "git log --oneline " + ${v}`, 'if err := exec.Command("sh", "-c", script).Run(); err != nil {', ...stop(fw, 'git failed').map((l) => '    ' + l), '}', fw.respond('"done"')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['os/exec'], lines: [`out, err := exec.Command("ping", "-c", "1", ${v}).Output()`, ...check(fw), fw.respond('string(out)')] }),
        (v, fw) => ({ imports: ['os/exec'], lines: [`cmd := exec.CommandContext(${ctx(fw)}, "tar", "-tf", ${v})`, 'out, err := cmd.CombinedOutput()', ...check(fw), fw.respond('string(out)')] }),
        (v, fw) => ({
          imports: ['os/exec', 'regexp'],
          top: ['var branchName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$`)'],
          lines: [`if !branchName.MatchString(${v}) {`, ...stop(fw, 'invalid branch').map((l) => '    ' + l), '}', `script := "git log --oneline " + ${v}`, 'if err := exec.Command("sh", "-c", script).Run(); err != nil {', ...stop(fw, 'git failed').map((l) => '    ' + l), '}', fw.respond('"done"')],
        }),
      ],
    },
    {
      cwe: 'CWE-22',
      stem: 'path',
      keys: ['file', 'report', 'avatar', 'attachment', 'doc'],
      literals: ['"summary.pdf"', '"logo.png"'],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: ['os', 'path/filepath'], top: ['const uploadsDir = "/srv/app/uploads"'], lines: [`data, err := os.ReadFile(filepath.Join(uploadsDir, ${v}))`, ...check(fw), fw.respond('string(data)')] }),
        (v, fw) => ({ imports: ['os'], lines: [`f, err := os.Create("/tmp/exports/" + ${v} + ".csv")`, ...check(fw), 'defer f.Close()', 'f.WriteString("id,total\\n")', fw.respond('"written"')] }),
        (v, fw) => ({ imports: ['os', 'path'], top: ['const notesDir = "/srv/notes"'], lines: [`if err := os.Remove(path.Join(notesDir, ${v})); err != nil {`, ...stop(fw, 'not removed').map((l) => '    ' + l), '}', fw.respond('"deleted"')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['os', 'path/filepath'], top: ['const uploadsDir = "/srv/app/uploads"'], lines: [`data, err := os.ReadFile(filepath.Join(uploadsDir, filepath.Base(${v})))`, ...check(fw), fw.respond('string(data)')] }),
        (v, fw) => ({ imports: ['os', 'path/filepath'], lines: [`if !filepath.IsLocal(${v}) {`, ...stop(fw, 'invalid name').map((l) => '    ' + l), '}', `f, err := os.Create("/tmp/exports/" + ${v} + ".csv")`, ...check(fw), 'defer f.Close()', 'f.WriteString("id,total\\n")', fw.respond('"written"')] }),
        (v, fw) => ({
          imports: ['os', 'path/filepath', 'strings'],
          top: ['const notesDir = "/srv/notes"'],
          lines: [`target := filepath.Join(notesDir, filepath.Clean("/"+${v}))`, 'if !strings.HasPrefix(target, notesDir+string(filepath.Separator)) {', ...stop(fw, 'forbidden').map((l) => '    ' + l), '}', 'if err := os.Remove(target); err != nil {', ...stop(fw, 'not removed').map((l) => '    ' + l), '}', fw.respond('"deleted"')],
        }),
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
        (v, fw) => html(fw, `"<h1>Hello " + ${v} + "</h1>"`),
        (v, fw) => join({ imports: ['fmt'], lines: [`page := fmt.Sprintf("<div class=\\"result\\">Results for %s</div>", ${v})`] }, html(fw, 'page')),
        (v, fw) => ({
          imports: ['html/template'],
          top: ['var bannerTmpl = template.Must(template.New("banner").Parse(`<p class="notice">{{.}}</p>`))'],
          lines: [fw.id === 'gin' ? `_ = bannerTmpl.Execute(c.Writer, template.HTML(${v}))` : `_ = bannerTmpl.Execute(w, template.HTML(${v}))`],
        }),
        (v, fw) => ({
          imports: ['text/template'],
          top: ['var listTmpl = template.Must(template.New("list").Parse(`<ul><li>{{.}}</li></ul>`))'],
          lines: [fw.id === 'gin' ? `_ = listTmpl.Execute(c.Writer, ${v})` : `_ = listTmpl.Execute(w, ${v})`],
        }),
      ],
      sanitized: [
        (v, fw) => join({ imports: ['html'] }, html(fw, `"<h1>Hello " + html.EscapeString(${v}) + "</h1>"`)),
        (v, fw) => join({ imports: ['fmt', 'html/template'], lines: [`page := fmt.Sprintf("<div class=\\"result\\">Results for %s</div>", template.HTMLEscapeString(${v}))`] }, html(fw, 'page')),
        (v, fw) => ({
          imports: ['html/template'],
          top: ['var bannerTmpl = template.Must(template.New("banner").Parse(`<p class="notice">{{.}}</p>`))'],
          lines: [fw.id === 'gin' ? `_ = bannerTmpl.Execute(c.Writer, ${v})` : `_ = bannerTmpl.Execute(w, ${v})`],
        }),
        (v, fw) => ({
          imports: ['html/template'],
          top: ['var listTmpl = template.Must(template.New("list").Parse(`<ul><li>{{.}}</li></ul>`))'],
          lines: [fw.id === 'gin' ? `_ = listTmpl.Execute(c.Writer, ${v})` : `_ = listTmpl.Execute(w, ${v})`],
        }),
      ],
    },
    {
      cwe: 'CWE-90',
      stem: 'ldapi',
      keys: ['username', 'uid', 'mail', 'group'],
      literals: ['"jdoe"'],
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, 'fmt'], lines: [`req := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", ${v}), []string{"dn", "cn"}, nil)`, 'res, err := directory.Search(req)', ...check(fw), fw.respond('fmt.Sprint(len(res.Entries))')] }),
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, 'fmt'], lines: [`filter := "(&(objectClass=person)(mail=" + ${v} + "))"`, 'res, err := directory.Search(ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, nil, nil))', ...check(fw), fw.respond('fmt.Sprint(len(res.Entries))')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, 'fmt'], lines: [`req := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, fmt.Sprintf("(uid=%s)", ldap.EscapeFilter(${v})), []string{"dn", "cn"}, nil)`, 'res, err := directory.Search(req)', ...check(fw), fw.respond('fmt.Sprint(len(res.Entries))')] }),
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, 'fmt'], lines: [`filter := "(&(objectClass=person)(mail=" + ldap.EscapeFilter(${v}) + "))"`, 'res, err := directory.Search(ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, nil, nil))', ...check(fw), fw.respond('fmt.Sprint(len(res.Entries))')] }),
      ],
    },
    {
      cwe: 'CWE-643',
      stem: 'xpathi',
      keys: ['user', 'role', 'sku'],
      literals: ['"admin"'],
      count: 4,
      vulnerable: [
        (v, fw) => ({ ...XQ, lines: [`node := xmlquery.FindOne(usersDoc, "//user[@name='"+${v}+"']/email")`, fw.respond('node.InnerText()')] }),
        (v, fw) => ({ ...XQ, imports: [...XQ.imports, 'fmt'], lines: [`expr := fmt.Sprintf("/catalog/item[@sku='%s']/price", ${v})`, 'nodes, err := xmlquery.QueryAll(usersDoc, expr)', ...check(fw), fw.respond('fmt.Sprint(len(nodes))')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...XQ, imports: [...XQ.imports, 'regexp'], top: [...XQ.top, 'var plainName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)'], lines: [`if !plainName.MatchString(${v}) {`, ...stop(fw, 'invalid name').map((l) => '    ' + l), '}', `node := xmlquery.FindOne(usersDoc, "//user[@name='"+${v}+"']/email")`, fw.respond('node.InnerText()')] }),
        (v, fw) => ({ ...XQ, imports: [...XQ.imports, 'fmt', 'strconv'], lines: [`id, err := strconv.Atoi(${v})`, ...check(fw), 'expr := fmt.Sprintf("/catalog/item[@sku=\'%d\']/price", id)', 'nodes, err := xmlquery.QueryAll(usersDoc, expr)', ...check(fw), fw.respond('fmt.Sprint(len(nodes))')] }),
      ],
    },
    {
      cwe: 'CWE-501',
      stem: 'trust',
      keys: ['role', 'tenant', 'plan', 'locale'],
      literals: ['"viewer"'],
      count: 4,
      vulnerable: [(v, fw, key) => join({ imports: ['os'] }, session(fw, key, v), { lines: [fw.respond('"updated"')] })],
      sanitized: [
        (v, fw, key) =>
          join({ imports: ['os'], top: ['var allowedValues = map[string]bool{"viewer": true, "editor": true, "en": true, "fr": true}'], lines: [`if !allowedValues[${v}] {`, ...stop(fw, 'unknown value').map((l) => '    ' + l), '}'] }, session(fw, key, v), { lines: [fw.respond('"updated"')] }),
      ],
    },
    {
      cwe: 'CWE-918',
      stem: 'ssrf',
      keys: ['target', 'endpoint', 'webhook', 'feed'],
      literals: ['"https://status.example.com/health"'],
      count: 6,
      vulnerable: [
        (v, fw) => ({ lines: [`resp, err := http.Get(${v})`, ...check(fw), 'defer resp.Body.Close()', fw.respond('resp.Status')] }),
        (v, fw) => ({ lines: [`req, err := http.NewRequestWithContext(${ctx(fw)}, http.MethodGet, ${v}+"/metrics", nil)`, ...check(fw), 'resp, err := http.DefaultClient.Do(req)', ...check(fw), 'defer resp.Body.Close()', fw.respond('resp.Status')] }),
      ],
      sanitized: [
        (v, fw) => ({
          imports: ['net/url'],
          top: ['var allowedHosts = map[string]bool{"status.example.com": true, "api.example.com": true}'],
          lines: [`u, err := url.Parse(${v})`, 'if err != nil || u.Scheme != "https" || !allowedHosts[u.Hostname()] {', ...stop(fw, 'blocked').map((l) => '    ' + l), '}', 'resp, err := http.Get(u.String())', ...check(fw), 'defer resp.Body.Close()', fw.respond('resp.Status')],
        }),
        (v, fw) => ({
          top: ['var upstreams = map[string]string{"billing": "https://billing.internal", "search": "https://search.internal"}'],
          lines: [`base, ok := upstreams[${v}]`, 'if !ok {', ...stop(fw, 'unknown upstream').map((l) => '    ' + l), '}', `req, err := http.NewRequestWithContext(${ctx(fw)}, http.MethodGet, base+"/metrics", nil)`, ...check(fw), 'resp, err := http.DefaultClient.Do(req)', ...check(fw), 'defer resp.Body.Close()', fw.respond('resp.Status')],
        }),
      ],
    },
    {
      cwe: 'CWE-601',
      stem: 'redirect',
      keys: ['next', 'returnTo', 'redirectURL', 'continueURL'],
      literals: ['"/dashboard"'],
      count: 6,
      vulnerable: [(v, fw) => ({ lines: redirect(fw, v) }), (v, fw) => ({ lines: [`destination := ${v} + "?welcome=1"`, ...redirect(fw, 'destination')] })],
      sanitized: [
        (v, fw) => ({ imports: ['net/url'], lines: [`u, err := url.Parse(${v})`, 'destination := "/"', 'if err == nil && !u.IsAbs() && u.Host == "" && len(u.Path) > 0 && u.Path[0] == \'/\' && (len(u.Path) < 2 || u.Path[1] != \'/\') {', '    destination = u.Path', '}', ...redirect(fw, 'destination')] }),
        (v, fw) => ({ imports: ['net/url'], lines: [`destination := "/profile/" + url.PathEscape(${v}) + "?welcome=1"`, ...redirect(fw, 'destination')] }),
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
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'fmt'], lines: [`n, err := accounts.CountDocuments(${ctx(fw)}, bson.M{"$where": "this.owner == '" + ${v} + "'"})`, ...check(fw), fw.respond('fmt.Sprint(n)')] }),
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'fmt'], lines: [`clause := fmt.Sprintf("this.status === '%s' && this.deleted !== true", ${v})`, `n, err := accounts.CountDocuments(${ctx(fw)}, bson.D{{Key: "$where", Value: clause}})`, ...check(fw), fw.respond('fmt.Sprint(n)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'fmt'], lines: [`n, err := accounts.CountDocuments(${ctx(fw)}, bson.M{"owner": ${v}})`, ...check(fw), fw.respond('fmt.Sprint(n)')] }),
        (v, fw) => ({ ...MONGO, imports: [...MONGO.imports, 'fmt'], lines: [`n, err := accounts.CountDocuments(${ctx(fw)}, bson.D{{Key: "status", Value: bson.D{{Key: "$eq", Value: ${v}}}}, {Key: "deleted", Value: false}})`, ...check(fw), fw.respond('fmt.Sprint(n)')] }),
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
        (v, fw) => ({ imports: ['log'], lines: [`log.Printf("login failed for %s", ${v})`, fw.respond('"denied"')] }),
        (v, fw) => ({ imports: ['log'], lines: [`log.Println("unknown coupon " + ${v})`, fw.respond('"invalid"')] }),
        (v, fw) => ({ imports: ['log/slog'], lines: [`slog.Info("request from agent " + ${v})`, fw.respond('"ok"')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['log'], lines: [`log.Printf("login failed for %q", ${v})`, fw.respond('"denied"')] }),
        (v, fw) => ({ imports: ['log', 'strings'], lines: [`printable := strings.NewReplacer("\\n", "", "\\r", "").Replace(${v})`, 'log.Println("unknown coupon " + printable)', fw.respond('"invalid"')] }),
        (v, fw) => ({ imports: ['log/slog', 'os'], top: ['var auditLog = slog.New(slog.NewJSONHandler(os.Stdout, nil))'], lines: [`auditLog.Info("request from agent", "agent", ${v})`, fw.respond('"ok"')] }),
      ],
    },
    {
      cwe: 'CWE-94',
      stem: 'codei',
      keys: ['tmpl', 'layout', 'script'],
      literals: ['"Hello {{.Name}}"'],
      count: 4,
      vulnerable: [
        (v, fw) => ({ imports: ['os', 'strings', 'text/template'], lines: [`t, err := template.New("user").Parse(${v})`, ...check(fw), 'var out strings.Builder', '_ = t.Execute(&out, map[string]any{"Name": "guest", "Env": os.Environ})', fw.respond('out.String()')] }),
        (v, fw) => ({ imports: ['github.com/traefik/yaegi/interp', 'github.com/traefik/yaegi/stdlib', 'fmt'], lines: ['i := interp.New(interp.Options{})', '_ = i.Use(stdlib.Symbols)', `res, err := i.Eval(${v})`, ...check(fw), fw.respond('fmt.Sprint(res)')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['strings', 'text/template'], top: ['var greeting = template.Must(template.New("greeting").Parse("Hello {{.Name}}"))'], lines: ['var out strings.Builder', `_ = greeting.Execute(&out, map[string]any{"Name": ${v}})`, fw.respond('out.String()')] }),
        (v, fw) => ({ imports: ['strconv'], lines: [`res, err := strconv.ParseFloat(${v}, 64)`, ...check(fw), fw.respond('strconv.FormatFloat(res*2, \'f\', 2, 64)')] }),
      ],
    },
  ];
}
