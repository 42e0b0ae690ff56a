import { assertFlow, assertNoFlow } from './taint-helpers.ts';

/** Every flow rule that applies to Go: a vulnerable net/http or gin handler and its safe twin. */
const handler = (imports: string[], body: string) => `package main

import (
${['net/http', ...imports].map((i) => `\t"${i}"`).join('\n')}
)

func handle(w http.ResponseWriter, r *http.Request) {
${body}
}
`;

interface Case {
  rule: string;
  name: string;
  vulnerable: string;
  safe: string;
}

const cases: Case[] = [
  { rule: 'sql', name: 'database/sql with a built query', vulnerable: handler(['database/sql'], `\tid := r.URL.Query().Get("id") // SOURCE\n\tdb.Query("SELECT * FROM users WHERE id = '" + id + "'") // SINK`), safe: handler(['database/sql'], `\tid := r.URL.Query().Get("id")\n\tdb.Query("SELECT * FROM users WHERE id = $1", id)`) },
  { rule: 'command', name: 'exec.Command with sh -c', vulnerable: handler(['os/exec'], `\thost := r.FormValue("host") // SOURCE\n\texec.Command("sh", "-c", "ping -c 1 "+host).Run() // SINK`), safe: handler(['os/exec'], `\thost := r.FormValue("host")\n\texec.Command("ping", "-c", "1", host).Run()`) },
  { rule: 'path-traversal', name: 'os.ReadFile', vulnerable: handler(['os', 'path/filepath'], `\tname := r.FormValue("f") // SOURCE\n\tdata, _ := os.ReadFile(filepath.Join("/srv/files", name)) // SINK\n\tw.Write(data)`), safe: handler(['os', 'path/filepath'], `\tname := r.FormValue("f")\n\tdata, _ := os.ReadFile(filepath.Join("/srv/files", filepath.Base(name)))\n\t_ = data`) },
  { rule: 'path-traversal', name: 'os.Rename destination; input written as data is no traversal', vulnerable: handler(['os', 'path/filepath'], `\tname := r.FormValue("name") // SOURCE\n\tos.Rename("/srv/uploads/incoming", filepath.Join("/srv/uploads", name)) // SINK`), safe: handler(['os'], `\tnote := r.FormValue("note")\n\tos.WriteFile("/srv/uploads/last-note.txt", []byte(note), 0o600)`) },
  { rule: 'xss', name: 'fmt.Fprintf to the response', vulnerable: handler(['fmt'], `\tname := r.URL.Query().Get("name") // SOURCE\n\tfmt.Fprintf(w, "<h1>Hello %s</h1>", name) // SINK`), safe: handler(['fmt', 'html'], `\tname := r.URL.Query().Get("name")\n\tfmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))`) },
  { rule: 'ldap', name: 'ldap.NewSearchRequest filter', vulnerable: handler(['github.com/go-ldap/ldap/v3'], `\tuser := r.FormValue("user") // SOURCE\n\treq := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+user+")", nil, nil) // SINK\n\t_ = req`), safe: handler(['github.com/go-ldap/ldap/v3'], `\tuser := r.FormValue("user")\n\treq := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(uid="+ldap.EscapeFilter(user)+")", nil, nil)\n\t_ = req`) },
  { rule: 'xpath', name: 'xmlquery.Find', vulnerable: handler(['github.com/antchfx/xmlquery'], `\tname := r.FormValue("name") // SOURCE\n\tnodes := xmlquery.Find(doc, "//user[@name='"+name+"']") // SINK\n\t_ = nodes`), safe: handler(['github.com/antchfx/xmlquery'], `\tname := r.FormValue("name")\n\tnodes := xmlquery.Find(doc, "//user")\n\t_ = nodes\n\t_ = name`) },
  { rule: 'ssrf', name: 'http.Get', vulnerable: handler([], `\ttarget := r.URL.Query().Get("url") // SOURCE\n\tresp, _ := http.Get(target) // SINK\n\t_ = resp`), safe: handler(['net/url'], `\ttarget := r.URL.Query().Get("url")\n\tresp, _ := http.Get("https://api.example.com/items?q=" + url.QueryEscape(target))\n\t_ = resp`) },
  { rule: 'open-redirect', name: 'http.Redirect', vulnerable: handler([], `\tnext := r.FormValue("next") // SOURCE\n\thttp.Redirect(w, r, next, http.StatusFound) // SINK`), safe: handler(['slices'], `\tnext := r.FormValue("next")\n\tif !slices.Contains(allowed, next) {\n\t\tnext = "/"\n\t}\n\thttp.Redirect(w, r, next, http.StatusFound)`) },
  { rule: 'log', name: 'log.Printf', vulnerable: handler(['log'], `\tuser := r.FormValue("user") // SOURCE\n\tlog.Printf("login failed for %s", user) // SINK`), safe: handler(['log', 'strconv'], `\tuser := r.FormValue("user")\n\tlog.Printf("login failed for %s", strconv.Quote(user))`) },
  { rule: 'regex', name: 'regexp.Compile', vulnerable: handler(['regexp'], `\tq := r.FormValue("q") // SOURCE\n\tre, _ := regexp.Compile(q) // SINK\n\t_ = re`), safe: handler(['regexp'], `\tq := r.FormValue("q")\n\tre, _ := regexp.Compile(regexp.QuoteMeta(q))\n\t_ = re`) },
  { rule: 'nosql', name: 'Mongo $where', vulnerable: handler(['go.mongodb.org/mongo-driver/bson'], `\tname := r.FormValue("name") // SOURCE\n\tcoll.Find(ctx, bson.M{"$where": "this.name == '" + name + "'"}) // SINK`), safe: handler(['go.mongodb.org/mongo-driver/bson'], `\tname := r.FormValue("name")\n\tcoll.Find(ctx, bson.M{"name": name})`) },
  { rule: 'code', name: 'a template parsed from input', vulnerable: handler(['text/template'], `\ttext := r.FormValue("tmpl") // SOURCE\n\tt, _ := template.New("page").Parse(text) // SINK\n\t_ = t`), safe: handler(['text/template'], `\ttext := r.FormValue("tmpl")\n\tt, _ := template.New("page").Parse("<p>{{.}}</p>")\n\t_ = t\n\t_ = text`) },
  { rule: 'deserialization', name: 'gob from the request body', vulnerable: handler(['encoding/gob'], `\tdec := gob.NewDecoder(r.Body) // SOURCE\n\tvar v any\n\tdec.Decode(&v) // SINK`), safe: handler(['encoding/gob', 'os'], `\tf, _ := os.Open("/etc/app/state.gob")\n\tdec := gob.NewDecoder(f)\n\tvar v any\n\tdec.Decode(&v)`) },
  { rule: 'trust-boundary', name: 'gorilla session values', vulnerable: handler([], `\tuser := r.FormValue("user") // SOURCE\n\tsession.Values["user"] = user // SINK`), safe: handler([], `\tuser := r.FormValue("user")\n\tsession.Values["user_len"] = len(user)`) },
];

describe('flow rules in Go: vulnerable and safe twins', () => {
  for (const c of cases) {
    it(`nyx/injection/${c.rule}: ${c.name}`, () => {
      assertFlow('cmd/server/main.go', c.vulnerable, `nyx/injection/${c.rule}`, 'SOURCE', 'SINK');
      assertNoFlow('cmd/server/main.go', c.safe, `nyx/injection/${c.rule}`);
    });
  }

  it('gin: a bound JSON body reaches a shell; an integer query parameter does not', () => {
    const code = `package main

import (
\t"os/exec"
\t"strconv"

\t"github.com/gin-gonic/gin"
)

func ping(c *gin.Context) {
\tvar body struct{ Host string }
\tc.ShouldBindJSON(&body) // SOURCE
\texec.Command("sh", "-c", "ping "+body.Host).Run() // SINK
\tn, _ := strconv.Atoi(c.Query("n"))
\texec.Command("sh", "-c", "sleep "+strconv.Itoa(n)).Run()
}
`;
    assertFlow('ping.go', code, 'nyx/injection/command', 'SOURCE', 'SINK');
  });
});
