/** Hand-written Python pairs in the shape of application code: sinks inside service methods and helpers. */
import { pair, type FixedGroup } from './model.ts';

const repo = (query: string) => `import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


class CustomerRepository:
    def __init__(self, path: str):
        self.conn = sqlite3.connect(path, check_same_thread=False)

    def by_city(self, city: str):
        cur = self.conn.cursor()
${query}
        return cur.fetchall()


customers = CustomerRepository('crm.db')


@app.get('/customers')
def list_customers():
    return jsonify(customers.by_city(request.args.get('city', '')))
`;

const thumbnails = (helper: string, call: string) => `import subprocess

from django.http import JsonResponse


${helper}


def make_thumbnail(request):
    name = request.POST['image']
    ${call}
    return JsonResponse({'ok': True})
`;

const media = (opener: string, extra = '') => `import os

from django.conf import settings
from django.http import FileResponse${extra}


def download(request, name):
${opener}
    return FileResponse(open(target, 'rb'))
`;

const cart = (load: string, imports: string) => `import base64
${imports}
from flask import Flask, request

app = Flask(__name__)


def load_cart(raw: str):
${load}


@app.get('/cart')
def show_cart():
    items = load_cart(request.cookies.get('cart', ''))
    return {'count': len(items)}
`;

const djangoTemplate = (tpl: string) => `from django.http import HttpResponse
from django.template import Context, Template

PAGE = Template('${tpl}')


def results(request):
    q = request.GET.get('q', '')
    return HttpResponse(PAGE.render(Context({'q': q})))
`;

const preview = (fetch: string) => `from urllib.parse import urlparse

import requests
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
ALLOWED = {'images.example.com', 'cdn.example.com'}


class PreviewRequest(BaseModel):
    url: str


def fetch_preview(url: str) -> bytes:
${fetch}


@app.post('/preview')
def preview(body: PreviewRequest):
    return {'size': len(fetch_preview(body.url))}
`;

const calculator = (evaluate: string, imports = '') => `${imports}from flask import Flask, request

app = Flask(__name__)


class Calculator:
    def __init__(self, precision: int = 2):
        self.precision = precision

    def evaluate(self, expression: str):
${evaluate}


@app.post('/calc')
def calc():
    return {'result': Calculator().evaluate(request.form['expression'])}
`;

const ldapDir = (filter: string, imports = '') => `import ldap
${imports}from flask import Flask, request

app = Flask(__name__)


class Directory:
    BASE = 'ou=people,dc=example,dc=com'

    def __init__(self):
        self.conn = ldap.initialize('ldap://directory.internal')

    def find(self, user: str):
${filter}
        return self.conn.search_s(self.BASE, ldap.SCOPE_SUBTREE, query, ['cn', 'mail'])


@app.get('/people')
def people():
    return {'found': len(Directory().find(request.args['user']))}
`;

export function pyHand(): FixedGroup[] {
  return [
    { cwe: 'CWE-89', stem: 'app', cases: pair('repository', repo(`        cur.execute(f"SELECT id, name FROM customers WHERE city = '{city}'")`), repo(`        cur.execute('SELECT id, name FROM customers WHERE city = ?', (city,))`)) },
    {
      cwe: 'CWE-78',
      stem: 'app',
      cases: pair(
        'helper',
        thumbnails(`def run(command: str) -> bytes:\n    return subprocess.check_output(command, shell=True)`, `run(f'convert /srv/uploads/{name} -resize 128x128 /srv/thumbs/{name}')`),
        thumbnails(`def run(args: list) -> bytes:\n    return subprocess.check_output(args)`, `run(['convert', f'/srv/uploads/{name}', '-resize', '128x128', f'/srv/thumbs/{name}'])`),
      ),
    },
    { cwe: 'CWE-22', stem: 'app', cases: pair('media', media('    target = os.path.join(settings.MEDIA_ROOT, name)'), media('    target = safe_join(settings.MEDIA_ROOT, name)', '\nfrom django.utils._os import safe_join')) },
    { cwe: 'CWE-502', stem: 'app', cases: pair('cookie', cart('    return pickle.loads(base64.b64decode(raw)) if raw else []', 'import pickle\n'), cart('    return json.loads(base64.b64decode(raw)) if raw else []', 'import json\n')) },
    { cwe: 'CWE-79', stem: 'app', cases: pair('safe-filter', djangoTemplate('<p>You searched for {{ q|safe }}</p>'), djangoTemplate('<p>You searched for {{ q }}</p>')) },
    {
      cwe: 'CWE-918',
      stem: 'app',
      cases: pair(
        'helper',
        preview('    return requests.get(url, timeout=5).content'),
        preview(`    parsed = urlparse(url)\n    if parsed.scheme != 'https' or parsed.hostname not in ALLOWED:\n        raise ValueError('host not allowed')\n    return requests.get(url, timeout=5).content`),
      ),
    },
    { cwe: 'CWE-94', stem: 'app', cases: pair('method', calculator('        return round(eval(expression), self.precision)'), calculator('        return round(float(ast.literal_eval(expression)), self.precision)', 'import ast\n\n')) },
    { cwe: 'CWE-90', stem: 'app', cases: pair('method', ldapDir(`        query = '(&(objectClass=person)(uid=%s))' % user`), ldapDir(`        query = '(&(objectClass=person)(uid=%s))' % escape_filter_chars(user)`, 'from ldap.filter import escape_filter_chars\n')) },
    {
      // HTML escaping does nothing for a shell: ; | $() pass through.
      cwe: 'CWE-78',
      stem: 'mixed',
      cases: [
        ...pair('wrong-escaper', pingView('html.escape(host)', 'import html\n'), pingView('shlex.quote(host)', 'import shlex\n')),
        { vulnerable: false, text: pingView('settings.MONITOR_HOST', 'from django.conf import settings\n') },
      ],
    },
  ];
}

function pingView(arg: string, imports: string): string {
  return `import os
${imports}
from django.http import HttpResponse


def ping(request):
    host = request.GET.get('host', 'localhost')
    status = os.system('ping -c 1 ' + ${arg})
    return HttpResponse(f'exit {status} for {len(host)} chars')
`;
}
