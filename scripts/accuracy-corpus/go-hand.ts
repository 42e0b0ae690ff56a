/** Hand-written Go pairs in the shape of application code: handler structs, JSON bodies, helpers, loops. */
import { pair, type FixedGroup } from './model.ts';

const server = (imports: string[], method: string, handler: string) => `package server

import (
${imports.map((i) => `\t${i.includes(' ') ? i : `"${i}"`}`).join('\n')}
)

type Server$UNIT struct {
\tdb *sql.DB
}

${method}

${handler}
`;

const findUser = (query: string) =>
  server(
    ['database/sql', 'encoding/json', 'net/http'],
    `func (s *Server$UNIT) findUser(name string) (int64, error) {
\tvar id int64
${query}
\treturn id, err
}`,
    `func (s *Server$UNIT) HandleUser(w http.ResponseWriter, r *http.Request) {
\tid, err := s.findUser(r.URL.Query().Get("name"))
\tif err != nil {
\t\thttp.Error(w, "not found", http.StatusNotFound)
\t\treturn
\t}
\tjson.NewEncoder(w).Encode(map[string]int64{"id": id})
}`,
  );

const thumb = (run: string, imports: string[]) => `package media

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

${run}

func Thumbnail$UNIT(w http.ResponseWriter, r *http.Request) {
\tname := r.FormValue("image")
\tif err := convert(name); err != nil {
\t\thttp.Error(w, "conversion failed", http.StatusInternalServerError)
\t\treturn
\t}
\tw.WriteHeader(http.StatusNoContent)
}
`;

const tagList = (cell: string, imports: string[]) => `package pages

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

func Tags$UNIT(w http.ResponseWriter, r *http.Request) {
\tw.Header().Set("Content-Type", "text/html; charset=utf-8")
\tfmt.Fprint(w, "<ul>")
\tfor _, tag := range r.URL.Query()["tag"] {
\t\tfmt.Fprintf(w, "<li>%s</li>", ${cell})
\t}
\tfmt.Fprint(w, "</ul>")
}
`;

const webhook = (check: string, imports: string[]) => `package hooks

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

type hookRequest struct {
\tURL     string \`json:"url"\`
\tPayload string \`json:"payload"\`
}

func Deliver$UNIT(w http.ResponseWriter, r *http.Request) {
\tvar hook hookRequest
\tif err := json.NewDecoder(r.Body).Decode(&hook); err != nil {
\t\thttp.Error(w, "bad body", http.StatusBadRequest)
\t\treturn
\t}
${check}\tresp, err := http.Post(hook.URL, "application/json", strings.NewReader(hook.Payload))
\tif err != nil {
\t\thttp.Error(w, "delivery failed", http.StatusBadGateway)
\t\treturn
\t}
\tresp.Body.Close()
\tw.WriteHeader(http.StatusAccepted)
}
`;

const loginNext = (check: string) => `package auth

import (
\t"net/http"
\t"strings"
)

func safeNext(next string) string {
${check}
}

func Login$UNIT(w http.ResponseWriter, r *http.Request) {
\tnext := r.FormValue("next")
\thttp.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}
`;

const accessLog = (format: string) => `package middleware

import (
\t"log"
\t"net/http"
)

func AccessLog$UNIT(next http.Handler) http.Handler {
\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
\t\tlog.Printf("${format}", r.Method, r.URL.Path, r.UserAgent())
\t\tnext.ServeHTTP(w, r)
\t})
}
`;

const mongoFilter = (decode: string) => `package search

import (
\t"encoding/json"
\t"net/http"

\t"go.mongodb.org/mongo-driver/bson"
\t"go.mongodb.org/mongo-driver/mongo"
)

var accounts *mongo.Collection

func Find$UNIT(w http.ResponseWriter, r *http.Request) {
${decode}
\tcur, err := accounts.Find(r.Context(), filter)
\tif err != nil {
\t\thttp.Error(w, "query failed", http.StatusInternalServerError)
\t\treturn
\t}
\tvar found []bson.M
\t_ = cur.All(r.Context(), &found)
\tjson.NewEncoder(w).Encode(found)
}
`;

export function goHand(): FixedGroup[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'app',
      cases: pair('method', findUser(`\terr := s.db.QueryRow("SELECT id FROM users WHERE name = '" + name + "'").Scan(&id)`), findUser(`\terr := s.db.QueryRow("SELECT id FROM users WHERE name = $1", name).Scan(&id)`)),
    },
    {
      cwe: 'CWE-78',
      stem: 'app',
      cases: pair(
        'helper',
        thumb('func convert(name string) error {\n\tscript := fmt.Sprintf("convert /srv/uploads/%s -resize 128x128 /srv/thumbs/%s", name, name)\n\treturn exec.Command("sh", "-c", script).Run()\n}', ['fmt', 'net/http', 'os/exec']),
        thumb('func convert(name string) error {\n\treturn exec.Command("convert", "/srv/uploads/"+name, "-resize", "128x128", "/srv/thumbs/"+name).Run()\n}', ['net/http', 'os/exec']),
      ),
    },
    { cwe: 'CWE-79', stem: 'app', cases: pair('loop', tagList('tag', ['fmt', 'net/http']), tagList('html.EscapeString(tag)', ['fmt', 'html', 'net/http'])) },
    {
      cwe: 'CWE-918',
      stem: 'app',
      cases: pair(
        'json-body',
        webhook('', ['encoding/json', 'net/http', 'strings']),
        webhook('\tu, err := url.Parse(hook.URL)\n\tif err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Hostname(), ".hooks.example.com") {\n\t\thttp.Error(w, "destination not allowed", http.StatusBadRequest)\n\t\treturn\n\t}\n', ['encoding/json', 'net/http', 'net/url', 'strings']),
      ),
    },
    {
      cwe: 'CWE-601',
      stem: 'app',
      cases: pair(
        'prefix-check',
        loginNext('\tif strings.HasPrefix(next, "/") {\n\t\treturn next\n\t}\n\treturn "/"'),
        loginNext('\tif strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\\\") {\n\t\treturn next\n\t}\n\treturn "/"'),
      ),
    },
    { cwe: 'CWE-117', stem: 'app', cases: pair('middleware', accessLog('%s %s %s'), accessLog('%s %q %q')) },
    {
      cwe: 'CWE-943',
      stem: 'app',
      cases: pair(
        'json-filter',
        mongoFilter('\tvar filter bson.M\n\tif err := json.NewDecoder(r.Body).Decode(&filter); err != nil {\n\t\thttp.Error(w, "bad filter", http.StatusBadRequest)\n\t\treturn\n\t}'),
        mongoFilter('\tvar q struct {\n\t\tOwner string `json:"owner"`\n\t}\n\tif err := json.NewDecoder(r.Body).Decode(&q); err != nil {\n\t\thttp.Error(w, "bad filter", http.StatusBadRequest)\n\t\treturn\n\t}\n\tfilter := bson.M{"owner": q.Owner}'),
      ),
    },
    {
      // HTML escaping leaves ; | $( ) alone, which is all a shell needs.
      cwe: 'CWE-78',
      stem: 'mixed',
      cases: pair('wrong-escaper', pingHandler('html.EscapeString(host)', '"html"\n\t'), pingHandler('host', '').replace('host := r.URL.Query().Get("host")', 'host := r.URL.Query().Get("host")\n\tif !hostPattern.MatchString(host) {\n\t\thttp.Error(w, "invalid host", http.StatusBadRequest)\n\t\treturn\n\t}').replace('import (', 'import (\n\t"regexp"').replace('func Ping', () => 'var hostPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$`)\n\nfunc Ping')),
    },
    {
      cwe: 'CWE-89',
      stem: 'mixed',
      cases: [{ vulnerable: false, text: `package audit\n\nimport (\n\t"database/sql"\n\t"fmt"\n\t"net/http"\n\t"strconv"\n)\n\nconst auditTable = "audit_log"\n\nvar db *sql.DB\n\nfunc Recent$UNIT(w http.ResponseWriter, r *http.Request) {\n\tlimit, err := strconv.Atoi(r.URL.Query().Get("limit"))\n\tif err != nil {\n\t\tlimit = 50\n\t}\n\trows, err := db.Query(fmt.Sprintf("SELECT id, action FROM %s ORDER BY id DESC LIMIT %d", auditTable, limit))\n\tif err != nil {\n\t\thttp.Error(w, "query failed", http.StatusInternalServerError)\n\t\treturn\n\t}\n\tdefer rows.Close()\n\tw.WriteHeader(http.StatusOK)\n}\n` }],
    },
  ];
}

function pingHandler(arg: string, extraImport: string): string {
  return `package monitor

import (
\t${extraImport}"net/http"
\t"os/exec"
)

func Ping$UNIT(w http.ResponseWriter, r *http.Request) {
\thost := r.URL.Query().Get("host")
\tout, err := exec.Command("sh", "-c", "ping -c 1 "+${arg}).CombinedOutput()
\tif err != nil {
\t\thttp.Error(w, "ping failed", http.StatusBadGateway)
\t\treturn
\t}
\tw.Write(out)
}
`;
}
