import assert from 'node:assert/strict';
import { assertFlow, assertNoFlow, flowFindings, lineOf } from './taint-helpers.ts';

/**
 * The engine's precision features, each as a vulnerable shape and its safe twin, in JavaScript and
 * Python (the lowering of each language is exercised, not only the engine).
 */
describe('taint engine', () => {
  describe('containers by constant key', () => {
    it('JS: an object holding input under one key does not taint another key', () => {
      const vulnerable = `const cp = require('child_process');\napp.get('/', (req, res) => {\n  const m = { a: req.query.x, b: 'ls' }; // SOURCE\n  cp.exec(m.a); // SINK\n});\n`;
      assertFlow('m.js', vulnerable, 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('m.js', vulnerable.replace('cp.exec(m.a)', 'cp.exec(m.b)'));
    });

    it('Python: dict keys and Map-style put/get keep values apart; an unknown key is conservative', () => {
      const base = `import os\nfrom flask import request\ndef f():\n    d = {}\n    d["cmd"] = request.args["c"]  # SOURCE\n    d["safe"] = "ls"\n    os.system(d[KEY])  # SINK\n`;
      assertFlow('d.py', base.replace('KEY', '"cmd"'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('d.py', base.replace('KEY', '"safe"'));
      assertFlow('d.py', base.replace('KEY', 'which'), 'nyx/injection/command', 'SOURCE', 'SINK');
    });

    it('JS: Map set/get by constant key', () => {
      const base = `const cp = require('child_process');\napp.post('/', (req, res) => {\n  const m = new Map();\n  m.set('keyA', 'safe');\n  m.set('keyB', req.body.c); // SOURCE\n  cp.exec(m.get(KEY)); // SINK\n});\n`;
      assertFlow('map.js', base.replace('KEY', "'keyB'"), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('map.js', base.replace('KEY', "'keyA'"));
    });
  });

  describe('dead branches and constant folding', () => {
    it('JS: if (false) and a folded ternary prune the flow', () => {
      const live = `app.get('/', (req, res) => {\n  const num = 106;\n  const v = (7 * 18) + num < 200 ? 'constant' : req.query.v; // SOURCE\n  eval(v); // SINK\n});\n`;
      assertFlow('t.js', live, 'nyx/injection/code', 'SOURCE', 'SINK');
      assertNoFlow('t.js', live.replace('< 200', '> 200'));
      assertNoFlow('t.js', `app.get('/', (req, res) => {\n  if (false) { eval(req.query.v); }\n});\n`);
    });

    it('Python: a branch on a literal-assigned local is folded', () => {
      const base = `import os\nfrom flask import request\ndef f():\n    flag = 3\n    cmd = "ls"\n    if flag * 2 COND 5:\n        cmd = request.args["c"]  # SOURCE\n    os.system(cmd)  # SINK\n`;
      assertFlow('b.py', base.replace('COND', '>'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('b.py', base.replace('COND', '<'));
    });
  });

  describe('values that cannot carry injection', () => {
    it('JS: parseInt, Number and .length stop taint', () => {
      for (const safe of ['parseInt(req.query.id, 10)', 'Number(req.query.id)', 'req.query.id.length']) {
        assertNoFlow('n.js', `app.get('/', (req, res) => {\n  const id = ${safe};\n  db.query('SELECT * FROM t WHERE id = ' + id);\n});\n`);
      }
      assertFlow('n.js', `app.get('/', (req, res) => {\n  const id = req.query.id; // SOURCE\n  db.query('SELECT * FROM t WHERE id = ' + id); // SINK\n});\n`, 'nyx/injection/sql', 'SOURCE', 'SINK');
    });

    it('Python: int() and len() stop taint; typed FastAPI int parameters are not input', () => {
      assertNoFlow('i.py', `from flask import request\ndef f(cur):\n    n = int(request.args["n"])\n    cur.execute("SELECT * FROM t LIMIT %d" % n)\n`);
      const fastapi = `from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items/{item_id}")\ndef read(item_id: TYPE, cur):  # SOURCE\n    cur.execute(f"SELECT * FROM items WHERE id = {item_id}")  # SINK\n`;
      assertFlow('fa.py', fastapi.replace('TYPE', 'str'), 'nyx/injection/sql', 'SOURCE', 'SINK');
      assertNoFlow('fa.py', fastapi.replace('TYPE', 'int'));
    });
  });

  describe('same-file calls through summaries', () => {
    it('JS: parameter to return, and parameter to sink, with the path through the callee', () => {
      const code = `const cp = require('child_process');\nfunction wrap(s) { return 'echo ' + s; }\nfunction run(c) {\n  cp.exec(c); // SINK\n}\napp.get('/', (req, res) => {\n  run(wrap(req.query.x)); // SOURCE\n});\n`;
      const finding = assertFlow('s.js', code, 'nyx/injection/command', 'SOURCE', 'SINK');
      const lines = finding.flow!.map((s) => s.range.startLine);
      assert.ok(lines.includes(lineOf(code, 'function run')), `the path enters run(): ${JSON.stringify(finding.flow)}`);
      assertNoFlow('s.js', code.replace("return 'echo ' + s;", "return 'echo';"));
    });

    it('Python: methods of a class and of a nested class, called through an instance', () => {
      const code = `from flask import request\nclass Outer:\n    class Repo:\n        def __init__(self, conn):\n            self.conn = conn\n        def find(self, key):\n            self.conn.execute("SELECT * FROM t WHERE k = '" + key + "'")  # SINK\n        def safe(self, key):\n            self.conn.execute("SELECT * FROM t WHERE k = ?", (key,))\n\ndef view(conn):\n    repo = Outer.Repo(conn)\n    repo.METHOD(request.form["k"])  # SOURCE\n`;
      assertFlow('c.py', code.replace('METHOD', 'find'), 'nyx/injection/sql', 'SOURCE', 'SINK');
      assertNoFlow('c.py', code.replace('METHOD', 'safe'));
    });

    it('JS and Python: a same-file validator function guards the branch it is tested in', () => {
      const js = `function isLocalPath(target) {\n  return target.startsWith('/') && !target.startsWith('//');\n}\napp.post('/login', (req, res) => {\n  const next = req.query.next; // SOURCE\n  res.redirect(CHECK); // SINK\n});\n`;
      assertFlow('v.js', js.replace('CHECK', 'next'), 'nyx/injection/open-redirect', 'SOURCE', 'SINK');
      assertNoFlow('v.js', js.replace('CHECK', "isLocalPath(next) ? next : '/'"));
      const py = `import os\nfrom flask import request\nALLOWED = {"a", "b"}\ndef allowed(name):\n    return name in ALLOWED\ndef view():\n    name = request.args["n"]  # SOURCE\n    if CHECK:\n        os.system("echo " + name)  # SINK\n`;
      assertFlow('v.py', py.replace('CHECK', 'name'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('v.py', py.replace('CHECK', 'allowed(name)'));
    });

    it('JS: fields within a class carry taint from one method to another', () => {
      const code = `const cp = require('child_process');\nclass Job {\n  setCommand(req) { this.cmd = req.query.cmd; } // SOURCE\n  start() { cp.exec(this.cmd); } // SINK\n}\n`;
      assertFlow('f.js', code, 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('f.js', code.replace('this.cmd = req.query.cmd', "this.cmd = 'ls'"));
    });
  });

  describe('string building', () => {
    it('Python: f-strings, % formatting, str.format and join carry taint', () => {
      for (const built of ['f"ls {x}"', '"ls %s" % x', '"ls {}".format(x)', '" ".join(["ls", x])', '"ls " + x.strip().lower()']) {
        assertFlow('s.py', `import os\nfrom flask import request\ndef f():\n    x = request.args.get("d")  # SOURCE\n    os.system(${built})  # SINK\n`, 'nyx/injection/command', 'SOURCE', 'SINK');
      }
    });

    it('JS: template literals, concat, replace and slice carry taint; array join too', () => {
      for (const built of ['`ls ${x}`', "'ls ' + x", "x.replace('a', 'b')", 'x.slice(1)', "['ls', x].join(' ')"]) {
        assertFlow('s.js', `const { exec } = require('child_process');\napp.get('/', (req, res) => {\n  const x = req.query.d; // SOURCE\n  exec(${built}); // SINK\n});\n`, 'nyx/injection/command', 'SOURCE', 'SINK');
      }
    });
  });

  describe('sanitizers protect only the sinks they are for', () => {
    it('JS: escape-html clears XSS but not SQL', () => {
      const code = `const escapeHtml = require('escape-html');\napp.get('/', (req, res) => {\n  const name = escapeHtml(req.query.name); // SOURCE\n  res.send('<p>' + name + '</p>');\n  db.query("SELECT * FROM u WHERE n = '" + name + "'"); // SINK\n});\n`;
      assertFlow('e.js', code, 'nyx/injection/sql', 'SOURCE', 'SINK');
      assert.deepEqual(flowFindings('e.js', code, 'nyx/injection/xss'), []);
    });

    it('JS: path normalization followed by a prefix check clears path traversal', () => {
      const code = `const fs = require('fs');\nconst path = require('path');\napp.get('/', (req, res) => {\n  const p = path.resolve('/srv/files', req.query.f); // SOURCE\n  CHECK\n  fs.readFileSync(p); // SINK\n});\n`;
      assertFlow('p.js', code.replace('CHECK', ''), 'nyx/injection/path-traversal', 'SOURCE', 'SINK');
      assertNoFlow('p.js', code.replace('CHECK', "if (!p.startsWith('/srv/files/')) return res.sendStatus(400);"));
      // a prefix check without normalization does not stop `..`
      assertFlow('p.js', code.replace("path.resolve('/srv/files', req.query.f)", "'/srv/files/' + req.query.f").replace('CHECK', "if (!p.startsWith('/srv/files/')) return;"), 'nyx/injection/path-traversal', 'SOURCE', 'SINK');
    });

    it('Python: allow-list membership and an anchored regex match clear the value', () => {
      const code = `import os\nimport re\nfrom flask import request\nALLOWED = {"a", "b"}\ndef f():\n    host = request.args["h"]  # SOURCE\n    CHECK\n        os.system("ping " + host)  # SINK\n`;
      assertFlow('a.py', code.replace('CHECK', 'if host:'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('a.py', code.replace('CHECK', 'if host in ALLOWED:'));
      assertNoFlow('a.py', code.replace('CHECK', 'if re.fullmatch(r"[a-z0-9.]+", host):'));
    });

    it('Python: parameterized queries carry input only in bind arguments', () => {
      const code = `from flask import request\ndef f(cur):\n    name = request.args["n"]  # SOURCE\n    cur.execute(QUERY)  # SINK\n`;
      assertFlow('q.py', code.replace('QUERY', `"SELECT * FROM u WHERE n = '" + name + "'"`), 'nyx/injection/sql', 'SOURCE', 'SINK');
      assertNoFlow('q.py', code.replace('QUERY', `"SELECT * FROM u WHERE n = ?", (name,)`));
    });
  });

  describe('instances, aliases and module-level values', () => {
    it('JS and Python: what a constructor stores is what a getter of that instance returns', () => {
      const js = `const cp = require('child_process');\nclass Holder {\n  constructor(raw) { this.raw = raw; this.preset = 'ls'; }\n  value() { return this.FIELD; }\n}\napp.get('/', (req, res) => {\n  const h = new Holder(req.query.c); // SOURCE\n  cp.exec(h.value()); // SINK\n});\n`;
      assertFlow('h.js', js.replace('FIELD', 'raw'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('h.js', js.replace('FIELD', 'preset'));
      const py = `import os\nfrom flask import request\nclass Holder:\n    def __init__(self, raw):\n        self.raw = raw\n        self.preset = "ls"\n    def value(self):\n        return self.FIELD\ndef view():\n    h = Holder(request.args["c"])  # SOURCE\n    os.system(h.value())  # SINK\n`;
      assertFlow('h.py', py.replace('FIELD', 'raw'), 'nyx/injection/command', 'SOURCE', 'SINK');
      assertNoFlow('h.py', py.replace('FIELD', 'preset'));
    });

    it('JS: a promisified sink and a logger made at module level are still recognised', () => {
      const code = `const { exec } = require('child_process');\nconst { promisify } = require('util');\nconst winston = require('winston');\nconst run = promisify(exec);\nconst audit = winston.createLogger({});\napp.get('/', async (req, res) => {\n  const host = req.query.host; // SOURCE\n  await run('ping ' + host); // SINK\n  audit.info('pinged ' + host); // LOG\n});\n`;
      assertFlow('p.js', code, 'nyx/injection/command', 'SOURCE', 'SINK');
      assertFlow('p.js', code, 'nyx/injection/log', 'SOURCE', 'LOG');
    });

    it('Python and Go: a host allow-list check pins a parsed URL; stripping CR/LF clears log injection', () => {
      const py = `import requests\nfrom urllib.parse import urlparse\nfrom flask import request\nALLOWED = {"api.example.com"}\ndef view():\n    parsed = urlparse(request.args["u"])  # SOURCE\n    CHECK\n    requests.get(parsed.geturl())  # SINK\n`;
      assertFlow('u.py', py.replace('CHECK', 'pass'), 'nyx/injection/ssrf', 'SOURCE', 'SINK');
      assertNoFlow('u.py', py.replace('CHECK', 'if parsed.hostname not in ALLOWED:\n        return "no"'));
      const log = `import logging\nfrom flask import request\nlogger = logging.getLogger(__name__)\ndef view():\n    user = request.args["u"]  # SOURCE\n    logger.info("user " + CLEAN)  # SINK\n`;
      assertFlow('l.py', log.replace('CLEAN', 'user'), 'nyx/injection/log', 'SOURCE', 'SINK');
      assertNoFlow('l.py', log.replace('CLEAN', 'user.replace("\\n", "").replace("\\r", "")'));
      const go = `package main\n\nimport (\n\t"net/http"\n\t"net/url"\n)\n\nvar allowed = map[string]bool{"api.example.com": true}\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tu, _ := url.Parse(r.FormValue("u")) // SOURCE\n\tCHECK\n\thttp.Get(u.String()) // SINK\n}\n`;
      assertFlow('u.go', go.replace('CHECK', ''), 'nyx/injection/ssrf', 'SOURCE', 'SINK');
      assertNoFlow('u.go', go.replace('CHECK', 'if !allowed[u.Hostname()] {\n\t\treturn\n\t}'));
    });
  });

  describe('names that look like modules', () => {
    it('JS: a variable named fs is no file sink; a sanitizer or escape method found by name still clears', () => {
      const fsLike = `app.get('/', (req, res) => {\n  const fs = FS_VALUE;\n  fs.readFile(req.query.f, (err, data) => res.json({ ok: !err })); // SOURCE SINK\n});\n`;
      assertFlow('fs.js', `const path = require('path');\n${fsLike.replace('FS_VALUE', "require('fs')")}`, 'nyx/injection/path-traversal', 'SOURCE', 'SINK');
      assertNoFlow('fs.js', fsLike.replace('FS_VALUE', 'resolver.fileSystem'));
      // a local escaper and a connection's own escape keep clearing, as they did before
      const escaped = `const escapeHtml = (s) => String(s).replace(/[<>&"']/g, (c) => '&#' + c.charCodeAt(0) + ';');\napp.get('/', (req, res) => {\n  res.send('<h1>' + escapeHtml(req.query.name) + '</h1>');\n});\n`;
      assertNoFlow('esc.js', escaped, 'nyx/injection/xss');
      const sql = `const mysql = require('mysql');\nconst db = mysql.createConnection({});\napp.get('/', (req, res) => {\n  db.query('SELECT * FROM users WHERE id = ' + db.escape(req.query.id), (e, rows) => res.json(rows));\n});\n`;
      assertNoFlow('db.js', sql, 'nyx/injection/sql');
      assertFlow('db.js', sql.replace('db.escape(req.query.id)', 'req.query.id').replace("  db.query(", '  db.query(').replace("(e, rows) => res.json(rows));", "(e, rows) => res.json(rows)); // SOURCE SINK"), 'nyx/injection/sql', 'SOURCE', 'SINK');
    });
  });

  it('skips files without any source word (the cheap gate)', () => {
    assertNoFlow('g.js', `const cp = require('child_process');\nfunction f(x) { cp.exec(x); }\n`);
  });
});

describe('flow rules and the older shape rules', () => {
  it('a flow finding replaces the shape finding on the same line; elsewhere the shape rule still reports', async () => {
    const { analyzeFile } = await import('#server/modules/analysis/analyzers/analyze-file.ts');
    const code = `const cp = require('child_process');\napp.get('/', (req, res) => {\n  cp.exec('ls ' + req.query.dir);\n});\nfunction local(dir) {\n  cp.exec('ls ' + dir);\n}\n`;
    const found = analyzeFile({ path: 'a.js', content: code }).map((f) => `${f.ruleId}@${f.range.startLine}`);
    assert.ok(found.includes('nyx/injection/command@3'), JSON.stringify(found));
    assert.ok(!found.includes('nyx/dangerous/shell-injection@3'), JSON.stringify(found));
    assert.ok(found.includes('nyx/dangerous/shell-injection@6'), JSON.stringify(found));
  });
});
