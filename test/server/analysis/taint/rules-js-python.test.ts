import { assertFlow, assertNoFlow } from './taint-helpers.ts';

/**
 * Every flow rule in JavaScript and Python: a vulnerable case (one finding, flow from the SOURCE
 * line to the SINK line) and its safe twin of the same shape (no finding).
 */
interface Case {
  rule: string;
  path: string;
  vulnerable: string;
  safe: string;
}

const js = (body: string, head = '') => `${head}app.get('/x', (req, res) => {\n${body}\n});\n`;
const koa = (body: string, head = '') => `${head}app.use(async (ctx, next) => {\n${body}\n});\n`;
const py = (body: string, head = '') => `${head}from flask import Flask, request, session, redirect\napp = Flask(__name__)\n\n@app.route("/x")\ndef view():\n${body}\n`;

const cases: Case[] = [
  // SQL
  { rule: 'sql', path: 'sql.js', vulnerable: js(`  const id = req.query.id; // SOURCE\n  pool.query('SELECT * FROM users WHERE id = ' + id); // SINK`), safe: js(`  const id = req.query.id;\n  pool.query('SELECT * FROM users WHERE id = $1', [id]);`) },
  { rule: 'sql', path: 'sql.ts', vulnerable: js(`  const { name } = req.body; // SOURCE\n  await sequelize.query(\`SELECT * FROM t WHERE name = '\${name}'\`); // SINK`), safe: js(`  const { name } = req.body;\n  await sequelize.query('SELECT * FROM t WHERE name = ?', { replacements: [name] });`) },
  { rule: 'sql', path: 'sql.py', vulnerable: py(`    uid = request.args.get("id")  # SOURCE\n    cursor.execute("SELECT * FROM users WHERE id = '%s'" % uid)  # SINK`), safe: py(`    uid = request.args.get("id")\n    cursor.execute("SELECT * FROM users WHERE id = %s", (uid,))`) },
  // OS command
  { rule: 'command', path: 'cmd.js', vulnerable: js(`  exec('ping -c 1 ' + req.query.host); // SOURCE SINK`, "const { exec, execFile } = require('child_process');\n"), safe: js(`  execFile('ping', ['-c', '1', req.query.host]);`, "const { exec, execFile } = require('child_process');\n") },
  { rule: 'command', path: 'spawn.js', vulnerable: js(`  const host = req.query.host; // SOURCE\n  cp.spawn('ping ' + host, { shell: true }); // SINK`, "const cp = require('node:child_process');\n"), safe: js(`  const host = req.query.host;\n  cp.spawn('ping', [host], { shell: false });`, "const cp = require('node:child_process');\n") },
  { rule: 'command', path: 'cmd.py', vulnerable: py(`    host = request.args["host"]  # SOURCE\n    subprocess.run("ping -c 1 " + host, shell=True)  # SINK`, 'import subprocess\n'), safe: py(`    host = request.args["host"]\n    subprocess.run(["ping", "-c", "1", host])`, 'import subprocess\n') },
  // path traversal
  { rule: 'path-traversal', path: 'path.js', vulnerable: js(`  const file = path.join('/srv/files', req.params.name); // SOURCE\n  res.send(fs.readFileSync(file)); // SINK`, "const fs = require('fs');\nconst path = require('path');\n"), safe: js(`  const file = path.join('/srv/files', path.basename(req.params.name));\n  res.json({ size: fs.readFileSync(file).length });`, "const fs = require('fs');\nconst path = require('path');\n") },
  // `fs` is the module only when the file says so: a variable of that name is someone's virtual file system (webpack's resolver)
  { rule: 'path-traversal', path: 'fs-member.js', vulnerable: js(`  files.readFile('/srv/' + req.query.name, (err, data) => res.end(String(data))); // SOURCE SINK`, "const files = require('node:fs').promises;\n"), safe: js(`  const fs = resolver.fileSystem;\n  fs.stat(req.query.name, (err, stat) => res.json({ ok: !err }));`) },
  // Only path arguments are sinks: data written to a fixed file is not a traversal; a rename's destination is a path
  { rule: 'path-traversal', path: 'rename.js', vulnerable: js(`  fs.renameSync('/srv/uploads/incoming', path.join('/srv/uploads', req.body.name)); // SOURCE SINK\n  res.end();`, "const fs = require('fs');\nconst path = require('path');\n"), safe: js(`  fs.writeFileSync('/srv/uploads/last-note.txt', req.body.note);\n  res.end();`, "const fs = require('fs');\n") },
  { rule: 'path-traversal', path: 'rename.py', vulnerable: py(`    name = request.form["name"]  # SOURCE\n    os.rename("/srv/uploads/incoming", os.path.join("/srv/uploads", name))  # SINK\n    return "ok"`, 'import os\n'), safe: py(`    note = request.form["note"]\n    with open("/srv/uploads/last-note.txt", "w") as fh:\n        fh.write(note)\n    return "ok"`, 'import os\n') },
  { rule: 'path-traversal', path: 'path.py', vulnerable: py(`    name = request.args["f"]  # SOURCE\n    with open(os.path.join("/srv/files", name)) as fh:  # SINK\n        return fh.read()`, 'import os\n'), safe: py(`    name = secure_filename(request.args["f"])\n    with open(os.path.join("/srv/files", name)) as fh:\n        return fh.read()`, 'import os\nfrom werkzeug.utils import secure_filename\n') },
  // XSS
  { rule: 'xss', path: 'xss.js', vulnerable: js(`  const name = req.query.name; // SOURCE\n  res.send('<h1>Hello ' + name + '</h1>'); // SINK`), safe: js(`  const name = req.query.name;\n  res.send('<h1>Hello ' + escapeHtml(name) + '</h1>');`, "const escapeHtml = require('escape-html');\n") },
  // Koa: `ctx.body` is the response the app sends (a sink), never request input; `ctx.request.body` is.
  { rule: 'xss', path: 'koa.js', vulnerable: koa(`  const name = ctx.query.name; // SOURCE\n  ctx.body = '<h1>Hello ' + name + '</h1>'; // SINK`), safe: koa(`  await next();\n  const body = ctx.body;\n  const res = ctx.res;\n  res.end(body);`) },
  { rule: 'xss', path: 'koa-body.js', vulnerable: koa(`  const { name } = ctx.request.body; // SOURCE\n  ctx.body = '<h1>Hello ' + name + '</h1>'; // SINK`), safe: koa(`  const { name } = ctx.request.body;\n  ctx.body = { greeting: 'Hello ' + escapeHtml(name) };`, "const escapeHtml = require('escape-html');\n") },
  { rule: 'xss', path: 'dom.js', vulnerable: `const q = location.search; // SOURCE\ndocument.getElementById('out').innerHTML = q; // SINK\n`, safe: `const q = location.search;\ndocument.getElementById('out').textContent = q;\n` },
  { rule: 'xss', path: 'xss.py', vulnerable: py(`    name = request.args.get("name", "")  # SOURCE\n    return "<h1>Hello " + name + "</h1>"  # SINK`), safe: py(`    name = request.args.get("name", "")\n    return "<h1>Hello " + escape(name) + "</h1>"`, 'from markupsafe import escape\n') },
  // Django: a function view's or a class-based view's URL parameters; a library method that takes a `request` has none
  { rule: 'xss', path: 'views.py', vulnerable: 'from django.http import HttpResponse\n\n\ndef profile(request, username):  # SOURCE\n    return HttpResponse("<h1>" + username + "</h1>")  # SINK\n', safe: 'from django.http import HttpResponse\n\n\ndef profile(request, user_id: int):\n    return HttpResponse("<h1>" + str(user_id) + "</h1>")\n' },
  { rule: 'xss', path: 'cbv.py', vulnerable: 'from django.http import HttpResponse\nfrom django.views import View\n\n\nclass Profile(View):\n    def get(self, request, username):  # SOURCE\n        return HttpResponse("<h1>" + username + "</h1>")  # SINK\n', safe: 'from django.http import HttpResponse\n\n\nclass Grant:\n    def create_response(self, request, token_handler):\n        return HttpResponse("<h1>" + token_handler + "</h1>")\n' },
  // LDAP
  { rule: 'ldap', path: 'ldap.py', vulnerable: py(`    user = request.args["user"]  # SOURCE\n    conn.search("dc=example,dc=com", "(uid=" + user + ")")  # SINK`), safe: py(`    user = request.args["user"]\n    conn.search("dc=example,dc=com", "(uid=" + escape_filter_chars(user) + ")")`, 'from ldap3.utils.conv import escape_filter_chars\n') },
  { rule: 'ldap', path: 'ldap.js', vulnerable: js(`  const filter = '(uid=' + req.query.user + ')'; // SOURCE\n  client.search('dc=example,dc=com', { filter }, () => {}); // SINK`), safe: js(`  const filter = '(uid=' + parseInt(req.query.user, 10) + ')';\n  client.search('dc=example,dc=com', { filter }, () => {});`) },
  // XPath
  { rule: 'xpath', path: 'xpath.py', vulnerable: py(`    name = request.args["name"]  # SOURCE\n    return str(tree.xpath("//user[@name='" + name + "']"))  # SINK`), safe: py(`    name = request.args["name"]\n    return str(tree.xpath("//user[@name=$name]", name=name))`) },
  { rule: 'xpath', path: 'xpath.js', vulnerable: js(`  const expr = "//user[@name='" + req.query.name + "']"; // SOURCE\n  res.json(xpath.select(expr, doc)); // SINK`, "const xpath = require('xpath');\n"), safe: js(`  const expr = "//user[@name='" + encodeURIComponent(req.query.name) + "']";\n  res.json(xpath.select(expr, doc));`, "const xpath = require('xpath');\n") },
  // trust boundary
  { rule: 'trust-boundary', path: 'tb.py', vulnerable: py(`    user = request.form["user"]  # SOURCE\n    session["user"] = user  # SINK\n    return "ok"`), safe: py(`    user = request.form["user"]\n    if user in ALLOWED_USERS:\n        session["user"] = user\n    return "ok"`) },
  { rule: 'trust-boundary', path: 'tb.js', vulnerable: js(`  const role = req.body.role; // SOURCE\n  req.session.role = role; // SINK`), safe: js(`  const role = req.body.role;\n  if (['reader', 'writer'].includes(role)) req.session.role = role;`) },
  // SSRF
  { rule: 'ssrf', path: 'ssrf.py', vulnerable: py(`    url = request.args["url"]  # SOURCE\n    return requests.get(url).text  # SINK`, 'import requests\n'), safe: py(`    url = request.args["url"]\n    if url in ALLOWED_URLS:\n        return requests.get(url).text\n    return ""`, 'import requests\n') },
  { rule: 'ssrf', path: 'ssrf.js', vulnerable: js(`  const target = req.query.url; // SOURCE\n  const r = await axios.get(target); // SINK\n  res.json(r.data);`, "const axios = require('axios');\n"), safe: js(`  const target = req.query.url;\n  const r = await axios.get('https://api.example.com/items', { params: { q: target } });\n  res.json(r.data);`, "const axios = require('axios');\n") },
  // open redirect
  { rule: 'open-redirect', path: 'redir.js', vulnerable: js(`  res.redirect(req.query.next); // SOURCE SINK`), safe: js(`  const next = req.query.next;\n  res.redirect(ALLOWED.has(next) ? next : '/');`) },
  { rule: 'open-redirect', path: 'redir.py', vulnerable: py(`    target = request.args.get("next")  # SOURCE\n    return redirect(target)  # SINK`), safe: py(`    target = request.args.get("next")\n    if target not in SAFE_TARGETS:\n        target = "/"\n    return redirect(target)`) },
  // NoSQL
  { rule: 'nosql', path: 'nosql.js', vulnerable: js(`  const users = await db.collection('users').find({ $where: "this.name == '" + req.query.name + "'" }).toArray(); // SOURCE SINK\n  res.json(users);`), safe: js(`  const users = await db.collection('users').find({ name: String(req.query.name) }).toArray();\n  res.json(users);`) },
  { rule: 'nosql', path: 'nosql.py', vulnerable: py(`    query = request.get_json()  # SOURCE\n    return str(db.users.find_one(query))  # SINK`), safe: py(`    query = request.get_json()\n    return str(db.users.find_one({"name": str(query["name"])}))`) },
  // log injection
  { rule: 'log', path: 'log.js', vulnerable: js(`  logger.info('login failed for ' + req.body.user); // SOURCE SINK`), safe: js(`  logger.info('login failed for ' + encodeURIComponent(req.body.user));`) },
  { rule: 'log', path: 'log.py', vulnerable: py(`    user = request.form["user"]  # SOURCE\n    logger.warning("login failed for %s" % user)  # SINK`, 'import logging\nlogger = logging.getLogger(__name__)\n'), safe: py(`    user = request.form["user"]\n    logger.warning("login failed for %d" % len(user))`, 'import logging\nlogger = logging.getLogger(__name__)\n') },
  // code injection
  { rule: 'code', path: 'code.js', vulnerable: js(`  const expr = req.body.expr; // SOURCE\n  res.json({ value: eval(expr) }); // SINK`), safe: js(`  const expr = req.body.expr;\n  res.json({ value: JSON.parse(expr) });`) },
  { rule: 'code', path: 'code.py', vulnerable: py(`    expr = request.form["expr"]  # SOURCE\n    return str(eval(expr))  # SINK`), safe: py(`    expr = request.form["expr"]\n    return str(ast.literal_eval(expr))`, 'import ast\n') },
  // deserialization
  { rule: 'deserialization', path: 'deser.py', vulnerable: py(`    data = request.get_data()  # SOURCE\n    obj = pickle.loads(data)  # SINK\n    return "ok"`, 'import pickle\n'), safe: py(`    data = request.get_data()\n    obj = json.loads(data)\n    return "ok"`, 'import json\n') },
  { rule: 'deserialization', path: 'yaml.py', vulnerable: py(`    doc = yaml.load(request.data)  # SOURCE SINK\n    return "ok"`, 'import yaml\n'), safe: py(`    doc = yaml.load(request.data, Loader=yaml.SafeLoader)\n    return "ok"`, 'import yaml\n') },
  { rule: 'deserialization', path: 'deser.js', vulnerable: js(`  const obj = serialize.unserialize(req.cookies.profile); // SOURCE SINK\n  res.json(obj);`, "const serialize = require('node-serialize');\n"), safe: js(`  const obj = JSON.parse(req.cookies.profile);\n  res.json(obj);`, "const serialize = require('node-serialize');\n") },
  // regex from input
  { rule: 'regex', path: 'regex.js', vulnerable: js(`  const re = new RegExp(req.query.q); // SOURCE SINK\n  res.json(items.filter((i) => re.test(i)));`), safe: js(`  const re = new RegExp(escapeRegExp(req.query.q));\n  res.json(items.filter((i) => re.test(i)));`) },
  { rule: 'regex', path: 'regex.py', vulnerable: py(`    pattern = request.args["q"]  # SOURCE\n    return str(re.search(pattern, TEXT))  # SINK`, 'import re\n'), safe: py(`    pattern = request.args["q"]\n    return str(re.search(re.escape(pattern), TEXT))`, 'import re\n') },
];

describe('flow rules in JavaScript/TypeScript and Python: vulnerable and safe twins', () => {
  for (const c of cases) {
    it(`nyx/injection/${c.rule} in ${c.path}`, () => {
      assertFlow(c.path, c.vulnerable, `nyx/injection/${c.rule}`, 'SOURCE', 'SINK');
      assertNoFlow(c.path, c.safe, `nyx/injection/${c.rule}`);
    });
  }
});
