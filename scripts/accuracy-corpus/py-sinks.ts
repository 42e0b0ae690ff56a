/** Where data is used in Python: each sink vulnerable and sanitized. */
import type { Emit, Framework, Sink } from './model.ts';

const html = (fw: Framework, expr: string): Emit => {
  if (fw.id === 'fastapi') return { imports: ['from fastapi.responses import HTMLResponse'], lines: [`return HTMLResponse(${expr})`] };
  return { lines: [fw.respond(expr)] };
};
const redirect = (fw: Framework, target: string): Emit => {
  if (fw.id === 'flask') return { imports: ['from flask import redirect'], lines: [`return redirect(${target})`] };
  if (fw.id === 'django') return { imports: ['from django.http import HttpResponseRedirect'], lines: [`return HttpResponseRedirect(${target})`] };
  return { imports: ['from fastapi.responses import RedirectResponse'], lines: [`return RedirectResponse(${target}, status_code=302)`] };
};
const join = (...parts: Array<Partial<Emit>>): Emit => ({ imports: parts.flatMap((p) => p.imports ?? []), top: parts.flatMap((p) => p.top ?? []), lines: parts.flatMap((p) => p.lines ?? []) });
const session = (fw: Framework) => (fw.id === 'flask' ? 'session' : 'request.session');
const sessionImports = (fw: Framework) => (fw.id === 'flask' ? ['from flask import session'] : []);
const SQLITE = { imports: ['import sqlite3'], top: [`DB_PATH = 'app.db'`] };
const PG = { imports: ['import psycopg2'], top: [`conn = psycopg2.connect(dbname='shop', user='app')`] };
const LDAP = { imports: ['import ldap'], top: [`BASE_DN = 'ou=people,dc=example,dc=com'`, `directory = ldap.initialize('ldap://directory.internal:389')`] };
const LDAP3 = { imports: ['from ldap3 import Connection, Server'], top: [`conn = Connection(Server('ldap://directory.internal'), auto_bind=True)`] };
const LXML = { imports: ['from lxml import etree'], top: [`tree = etree.parse('data/users.xml')`] };
const MONGO = { imports: ['from pymongo import MongoClient'], top: [`accounts = MongoClient('mongodb://localhost:27017').app.accounts`] };
const LOG = { imports: ['import logging'], top: ['logger = logging.getLogger(__name__)'] };

export function pySinks(): Sink[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'sqli',
      keys: ['customer', 'email', 'last_name', 'sku', 'region', 'owner'],
      literals: [`'acme'`, `'ops@example.com'`, `'EMEA'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ ...SQLITE, lines: ['db = sqlite3.connect(DB_PATH)', `rows = db.execute("SELECT id, total FROM orders WHERE customer = '%s'" % ${v}).fetchall()`, fw.respond('str(rows)')] }),
        (v, fw) => ({ ...PG, lines: ['cur = conn.cursor()', `cur.execute(f"SELECT * FROM users WHERE email = '{${v}}'")`, fw.respond('str(cur.fetchall())')] }),
        (v, fw) => ({ ...PG, lines: [`sql = "SELECT name FROM products WHERE sku = '" + ${v} + "'"`, 'with conn.cursor() as cur:', '    cur.execute(sql)', '    found = cur.fetchone()', fw.respond('str(found)')] }),
        (v, fw) => ({
          imports: ['from sqlalchemy import create_engine, text'],
          top: [`engine = create_engine('postgresql://app@db/shop')`],
          lines: ['with engine.connect() as connection:', `    result = connection.execute(text("SELECT * FROM accounts WHERE owner = '{}'".format(${v})))`, fw.respond('str(result.fetchall())')],
        }),
        (v, fw) => ({ ...SQLITE, lines: ['db = sqlite3.connect(DB_PATH)', `clauses = ['SELECT * FROM invoices', "WHERE region = '" + ${v} + "'", 'LIMIT 50']`, `rows = db.cursor().execute(' '.join(clauses)).fetchall()`, fw.respond('str(rows)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...SQLITE, lines: ['db = sqlite3.connect(DB_PATH)', `rows = db.execute('SELECT id, total FROM orders WHERE customer = ?', (${v},)).fetchall()`, fw.respond('str(rows)')] }),
        (v, fw) => ({ ...PG, lines: ['cur = conn.cursor()', `cur.execute('SELECT * FROM users WHERE email = %s', (${v},))`, fw.respond('str(cur.fetchall())')] }),
        (v, fw) => ({ ...PG, lines: ['with conn.cursor() as cur:', `    cur.execute('SELECT name FROM products WHERE sku = %(sku)s', {'sku': ${v}})`, '    found = cur.fetchone()', fw.respond('str(found)')] }),
        (v, fw) => ({
          imports: ['from sqlalchemy import create_engine, text'],
          top: [`engine = create_engine('postgresql://app@db/shop')`],
          lines: ['with engine.connect() as connection:', `    result = connection.execute(text('SELECT * FROM accounts WHERE owner = :owner'), {'owner': ${v}})`, fw.respond('str(result.fetchall())')],
        }),
      ],
    },
    {
      cwe: 'CWE-78',
      stem: 'cmdi',
      keys: ['host', 'archive', 'branch', 'image', 'target'],
      literals: [`'example.com'`, `'backup.tar'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: ['import os'], lines: [`status = os.system('ping -c 1 ' + ${v})`, fw.respond('str(status)')] }),
        (v, fw) => ({ imports: ['import subprocess'], lines: [`listing = subprocess.check_output(f"tar -tf {${v}}", shell=True)`, fw.respond('listing.decode()')] }),
        (v, fw) => ({ imports: ['import subprocess'], lines: [`command = 'git log --oneline ' + ${v}`, 'proc = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE)', fw.respond('proc.communicate()[0].decode()')] }),
        (v, fw) => ({ imports: ['import subprocess'], lines: [`subprocess.run(['sh', '-c', 'docker pull {}'.format(${v})], check=True)`, fw.respond(`'pulled'`)] }),
        (v, fw) => ({ imports: ['import os'], lines: [`answer = os.popen('nslookup %s' % ${v}).read()`, fw.respond('answer')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import subprocess'], lines: [`status = subprocess.run(['ping', '-c', '1', ${v}]).returncode`, fw.respond('str(status)')] }),
        (v, fw) => ({ imports: ['import subprocess'], lines: [`listing = subprocess.check_output(['tar', '-tf', ${v}])`, fw.respond('listing.decode()')] }),
        (v, fw) => ({ imports: ['import subprocess', 'import shlex'], lines: [`command = 'git log --oneline ' + shlex.quote(${v})`, 'proc = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE)', fw.respond('proc.communicate()[0].decode()')] }),
        (v, fw) => ({
          imports: ['import subprocess'],
          top: [`KNOWN_IMAGES = {'nginx:1.27', 'redis:7.4', 'postgres:17'}`],
          lines: [`if ${v} not in KNOWN_IMAGES:`, `    ${fw.respond(`'unknown image'`)}`, `subprocess.run(['sh', '-c', 'docker pull {}'.format(${v})], check=True)`, fw.respond(`'pulled'`)],
        }),
      ],
    },
    {
      cwe: 'CWE-22',
      stem: 'path',
      keys: ['file', 'report', 'avatar', 'attachment', 'doc'],
      literals: [`'summary.pdf'`, `'logo.png'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: ['import os'], top: [`UPLOADS = '/srv/app/uploads'`], lines: [`with open(os.path.join(UPLOADS, ${v}), 'rb') as fh:`, '    data = fh.read()', fw.respond('data')] }),
        (v, fw) => ({ imports: ['from pathlib import Path'], top: [`REPORTS = Path('/var/reports')`], lines: [`content = (REPORTS / ${v}).read_text()`, fw.respond('content')] }),
        (v, fw) => ({ imports: ['import os'], lines: [`os.remove(f"/tmp/exports/{${v}}.csv")`, fw.respond(`'deleted'`)] }),
        (v, fw) => ({ imports: ['import shutil'], top: [`NOTES = '/srv/notes/'`], lines: [`shutil.copy('/srv/templates/draft.md', NOTES + ${v})`, fw.respond(`'saved'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import os', 'from werkzeug.utils import secure_filename'], top: [`UPLOADS = '/srv/app/uploads'`], lines: [`with open(os.path.join(UPLOADS, secure_filename(${v})), 'rb') as fh:`, '    data = fh.read()', fw.respond('data')] }),
        (v, fw) => ({
          imports: ['from pathlib import Path'],
          top: [`REPORTS = Path('/var/reports').resolve()`],
          lines: [`candidate = (REPORTS / ${v}).resolve()`, 'if not candidate.is_relative_to(REPORTS):', `    ${fw.respond(`'forbidden'`)}`, 'content = candidate.read_text()', fw.respond('content')],
        }),
        (v, fw) => ({ imports: ['import os'], lines: [`os.remove(os.path.join('/tmp/exports', os.path.basename(${v}) + '.csv'))`, fw.respond(`'deleted'`)] }),
        (v, fw) => ({
          imports: ['import os', 'import shutil'],
          top: [`NOTES = os.path.realpath('/srv/notes')`],
          lines: [`target = os.path.realpath(os.path.join(NOTES, ${v}))`, 'if os.path.commonpath([NOTES, target]) != NOTES:', `    ${fw.respond(`'forbidden'`)}`, `shutil.copy('/srv/templates/draft.md', target)`, fw.respond(`'saved'`)],
        }),
      ],
    },
    {
      cwe: 'CWE-79',
      stem: 'xss',
      keys: ['name', 'q', 'title', 'message', 'comment'],
      literals: [`'guest'`, `'Welcome'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => html(fw, `'<h1>Hello ' + ${v} + '</h1>'`),
        (v, fw) => join({ lines: [`page = f"<div class='result'>Results for {${v}}</div>"`] }, html(fw, 'page')),
        (v, fw) => join({ imports: ['from markupsafe import Markup'], lines: [`banner = Markup('<p class="notice">%s</p>' % ${v})`] }, html(fw, 'str(banner)')),
        (v, fw) => join({ imports: ['from jinja2 import Environment'], top: ['env = Environment(autoescape=False)'], lines: [`page = env.from_string('<p>{{ text }}</p>').render(text=${v})`] }, html(fw, 'page')),
      ],
      sanitized: [
        (v, fw) => join({ imports: ['from markupsafe import escape'] }, html(fw, `'<h1>Hello ' + escape(${v}) + '</h1>'`)),
        (v, fw) => join({ imports: ['import html'], lines: [`page = f"<div class='result'>Results for {html.escape(${v})}</div>"`] }, html(fw, 'page')),
        (v, fw) => join({ imports: ['from markupsafe import Markup'], lines: [`banner = Markup('<p class="notice">%s</p>') % ${v}`] }, html(fw, 'str(banner)')),
        (v, fw) => join({ imports: ['from jinja2 import Environment, select_autoescape'], top: [`env = Environment(autoescape=select_autoescape(default_for_string=True))`], lines: [`page = env.from_string('<p>{{ text }}</p>').render(text=${v})`] }, html(fw, 'page')),
      ],
    },
    {
      cwe: 'CWE-90',
      stem: 'ldapi',
      keys: ['username', 'uid', 'mail', 'group'],
      literals: [`'jdoe'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...LDAP, lines: [`entries = directory.search_s(BASE_DN, ldap.SCOPE_SUBTREE, '(uid=' + ${v} + ')')`, fw.respond('str(len(entries))')] }),
        (v, fw) => ({ ...LDAP3, lines: [`conn.search('dc=example,dc=com', f"(&(objectClass=person)(mail={${v}}))", attributes=['cn'])`, fw.respond('str(conn.entries)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...LDAP, imports: ['import ldap', 'from ldap.filter import escape_filter_chars'], lines: [`entries = directory.search_s(BASE_DN, ldap.SCOPE_SUBTREE, '(uid=' + escape_filter_chars(${v}) + ')')`, fw.respond('str(len(entries))')] }),
        (v, fw) => ({ ...LDAP3, imports: ['from ldap3 import Connection, Server', 'from ldap3.utils.conv import escape_filter_chars'], lines: [`conn.search('dc=example,dc=com', f"(&(objectClass=person)(mail={escape_filter_chars(${v})}))", attributes=['cn'])`, fw.respond('str(conn.entries)')] }),
      ],
    },
    {
      cwe: 'CWE-643',
      stem: 'xpathi',
      keys: ['user', 'role', 'sku'],
      literals: [`'admin'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...LXML, lines: [`emails = tree.xpath("//user[@name='%s']/email/text()" % ${v})`, fw.respond('str(emails)')] }),
        (v, fw) => ({ ...LXML, lines: [`query = f"/catalog/item[@sku='{${v}}']/price/text()"`, 'price = tree.xpath(query)', fw.respond('str(price)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...LXML, lines: [`emails = tree.xpath('//user[@name=$name]/email/text()', name=${v})`, fw.respond('str(emails)')] }),
        (v, fw) => ({ ...LXML, imports: ['import re', 'from lxml import etree'], lines: [`if not re.fullmatch(r'[A-Za-z0-9-]{1,32}', ${v}):`, `    ${fw.respond(`'invalid'`)}`, `query = f"/catalog/item[@sku='{${v}}']/price/text()"`, 'price = tree.xpath(query)', fw.respond('str(price)')] }),
      ],
    },
    {
      cwe: 'CWE-501',
      stem: 'trust',
      keys: ['role', 'tenant', 'plan', 'locale'],
      literals: [`'viewer'`],
      frameworks: ['flask', 'django'],
      count: 5,
      vulnerable: [
        (v, fw, key) => ({ imports: sessionImports(fw), lines: [`${session(fw)}['${key}'] = ${v}`, fw.respond(`'updated'`)] }),
        (v, fw, key) => ({ imports: sessionImports(fw), lines: [`${session(fw)}['profile'] = {'${key}': ${v}, 'source': 'form'}`, fw.respond(`'ok'`)] }),
      ],
      sanitized: [
        (v, fw, key) => ({ imports: sessionImports(fw), top: [`ALLOWED = {'viewer', 'editor', 'en', 'fr'}`], lines: [`if ${v} in ALLOWED:`, `    ${session(fw)}['${key}'] = ${v}`, fw.respond(`'updated'`)] }),
        (v, fw, key) => ({ imports: sessionImports(fw), top: [`PLANS = {'free': 'free', 'pro': 'pro'}`], lines: [`${session(fw)}['profile'] = {'${key}': PLANS.get(${v}, 'free'), 'source': 'form'}`, fw.respond(`'ok'`)] }),
      ],
    },
    {
      cwe: 'CWE-918',
      stem: 'ssrf',
      keys: ['url', 'endpoint', 'webhook', 'feed'],
      literals: [`'https://status.example.com/health'`],
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['import requests'], lines: [`upstream = requests.get(${v}, timeout=5)`, fw.respond('upstream.text')] }),
        (v, fw) => ({ imports: ['from urllib.request import urlopen'], lines: [`with urlopen(${v}) as reply:`, '    body = reply.read()', fw.respond('body')] }),
        (v, fw) => ({ imports: ['import httpx'], lines: [`status = httpx.get(f"{${v}}/health").status_code`, fw.respond('str(status)')] }),
      ],
      sanitized: [
        (v, fw) => ({
          imports: ['import requests', 'from urllib.parse import urlparse'],
          top: [`ALLOWED_HOSTS = {'status.example.com', 'api.example.com'}`],
          lines: [`parsed = urlparse(${v})`, `if parsed.scheme != 'https' or parsed.hostname not in ALLOWED_HOSTS:`, `    ${fw.respond(`'blocked'`)}`, 'upstream = requests.get(parsed.geturl(), timeout=5)', fw.respond('upstream.text')],
        }),
        (v, fw) => ({
          imports: ['from urllib.request import urlopen'],
          top: [`HOOKS = {'slack': 'https://hooks.slack.com/services/T000/B000', 'teams': 'https://example.webhook.office.com/hook'}`],
          lines: [`destination = HOOKS.get(${v})`, 'if destination is None:', `    ${fw.respond(`'unknown hook'`)}`, 'with urlopen(destination) as reply:', '    body = reply.read()', fw.respond('body')],
        }),
      ],
    },
    {
      cwe: 'CWE-601',
      stem: 'redirect',
      keys: ['next', 'return_to', 'redirect_url', 'continue_url'],
      literals: [`'/dashboard'`],
      count: 6,
      vulnerable: [(v, fw) => redirect(fw, v), (v, fw) => join({ lines: [`destination = ${v} + '?welcome=1'`] }, redirect(fw, 'destination'))],
      sanitized: [
        (v, fw) => join({ imports: ['from urllib.parse import urlparse'], lines: [`parsed = urlparse(${v})`, `destination = parsed.path if not parsed.netloc and not parsed.scheme else '/'`] }, redirect(fw, 'destination')),
        (v, fw) => join({ imports: ['from urllib.parse import quote'] }, redirect(fw, `'/profile/' + quote(${v}, safe='')`)),
        (v, fw) => join({ top: [`SAFE_PAGES = ('/dashboard', '/settings', '/billing')`], lines: [`destination = ${v} if ${v} in SAFE_PAGES else '/dashboard'`] }, redirect(fw, 'destination')),
      ],
    },
    {
      cwe: 'CWE-943',
      stem: 'nosqli',
      keys: ['owner', 'status', 'username', 'team'],
      literals: [`'active'`],
      numericSafe: true,
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...MONGO, lines: [`found = list(accounts.find({'$where': "this.owner == '" + ${v} + "'"}))`, fw.respond('str(found)')] }),
        (v, fw) => ({ ...MONGO, lines: [`clause = f"this.status === '{${v}}' && this.deleted !== true"`, `found = list(accounts.find({'$where': clause}))`, fw.respond('str(found)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...MONGO, lines: [`found = list(accounts.find({'owner': str(${v})}))`, fw.respond('str(found)')] }),
        (v, fw) => ({ ...MONGO, lines: [`found = list(accounts.find({'status': {'$eq': str(${v})}, 'deleted': {'$ne': True}}))`, fw.respond('str(found)')] }),
      ],
    },
    {
      cwe: 'CWE-117',
      stem: 'logi',
      keys: ['username', 'coupon', 'agent', 'referrer'],
      literals: [`'anonymous'`],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['import logging'], lines: [`logging.info('Login failed for ' + ${v})`, fw.respond(`'denied'`)] }),
        (v, fw) => ({ ...LOG, lines: [`logger.warning(f"unknown coupon {${v}}")`, fw.respond(`'invalid'`)] }),
        (v, fw) => ({ ...LOG, lines: [`logger.info('request from agent %s', ${v})`, fw.respond(`'ok'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import logging'], lines: [`printable = str(${v}).replace('\\r', '').replace('\\n', '')`, `logging.info('Login failed for ' + printable)`, fw.respond(`'denied'`)] }),
        (v, fw) => ({ ...LOG, lines: [`logger.warning('unknown coupon %r', ${v})`, fw.respond(`'invalid'`)] }),
      ],
    },
    {
      cwe: 'CWE-94',
      stem: 'codei',
      keys: ['expr', 'formula', 'rule', 'transform'],
      literals: [`'1 + 1'`],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => ({ lines: [`outcome = eval(${v})`, fw.respond('str(outcome)')] }),
        (v, fw) => ({ lines: ['scope = {}', `exec('result = ' + ${v}, scope)`, fw.respond(`str(scope.get('result'))`)] }),
        (v, fw) => ({ lines: [`code = compile(${v}, '<rule>', 'eval')`, 'outcome = eval(code, {"__builtins__": {}})', fw.respond('str(outcome)')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import ast'], lines: [`outcome = ast.literal_eval(${v})`, fw.respond('str(outcome)')] }),
        (v, fw) => ({ top: [`FORMULAS = {'double': lambda price: price * 2, 'discounted': lambda price: price * 0.9}`], lines: [`compute = FORMULAS.get(${v}, lambda price: price)`, fw.respond('str(compute(10))')] }),
      ],
    },
    {
      cwe: 'CWE-502',
      stem: 'deser',
      keys: ['profile', 'state', 'prefs', 'cart'],
      literals: [`'e30='`],
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['import base64', 'import pickle'], lines: [`restored = pickle.loads(base64.b64decode(${v}))`, fw.respond('str(restored)')] }),
        (v, fw) => ({ imports: ['import yaml'], lines: [`restored = yaml.load(${v}, Loader=yaml.Loader)`, fw.respond('str(restored)')] }),
        (v, fw) => ({ imports: ['import yaml'], lines: [`restored = yaml.unsafe_load(${v})`, fw.respond('str(restored)')] }),
        (v, fw) => ({ imports: ['import jsonpickle'], lines: [`restored = jsonpickle.decode(${v})`, fw.respond('str(restored)')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import base64', 'import json'], lines: [`restored = json.loads(base64.b64decode(${v}))`, fw.respond('str(restored)')] }),
        (v, fw) => ({ imports: ['import yaml'], lines: [`restored = yaml.load(${v}, Loader=yaml.SafeLoader)`, fw.respond('str(restored)')] }),
        (v, fw) => ({ imports: ['import yaml'], lines: [`restored = yaml.safe_load(${v})`, fw.respond('str(restored)')] }),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'redos',
      keys: ['pattern', 'filter', 'search', 'mask'],
      literals: [`'^[a-z]+$'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ imports: ['import re'], lines: [`matcher = re.compile(${v})`, `hits = [n for n in ('alpha', 'beta', 'gamma') if matcher.search(n)]`, fw.respond(`','.join(hits)`)] }),
        (v, fw) => ({ imports: ['import re'], lines: [`ok = re.match('^' + ${v} + '$', 'report-2024.pdf') is not None`, fw.respond('str(ok)')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['import re'], lines: [`matcher = re.compile(re.escape(${v}))`, `hits = [n for n in ('alpha', 'beta', 'gamma') if matcher.search(n)]`, fw.respond(`','.join(hits)`)] }),
        (v, fw) => ({ lines: [`ok = 'report-2024.pdf' == ${v}`, fw.respond('str(ok)')] }),
      ],
    },
    {
      cwe: 'CWE-611',
      stem: 'xxe',
      keys: ['xml', 'payload', 'feed', 'document'],
      literals: [`'<order id="1"/>'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ imports: ['from lxml import etree'], lines: ['parser = etree.XMLParser(resolve_entities=True, load_dtd=True)', `root = etree.fromstring(${v}.encode(), parser)`, fw.respond('root.tag')] }),
        (v, fw) => ({
          imports: ['import io', 'import xml.sax', 'from xml.sax.handler import feature_external_ges'],
          lines: ['parser = xml.sax.make_parser()', 'parser.setFeature(feature_external_ges, True)', 'parser.setContentHandler(xml.sax.ContentHandler())', `parser.parse(io.StringIO(${v}))`, fw.respond(`'parsed'`)],
        }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['from lxml import etree'], lines: ['parser = etree.XMLParser(resolve_entities=False, no_network=True)', `root = etree.fromstring(${v}.encode(), parser)`, fw.respond('root.tag')] }),
        (v, fw) => ({ imports: ['import defusedxml.ElementTree as DET'], lines: [`root = DET.fromstring(${v})`, fw.respond('root.tag')] }),
        (v, fw) => ({
          imports: ['import io', 'import xml.sax', 'from xml.sax.handler import feature_external_ges'],
          lines: ['parser = xml.sax.make_parser()', 'parser.setFeature(feature_external_ges, False)', 'parser.setContentHandler(xml.sax.ContentHandler())', `parser.parse(io.StringIO(${v}))`, fw.respond(`'parsed'`)],
        }),
      ],
    },
  ];
}
