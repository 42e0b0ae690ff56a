/** Where data enters Python handlers (Flask, Django, FastAPI), and how it moves inside them. */
import type { Framework, Propagation } from './model.ts';

const indent = (lines: string[], depth: number) => lines.map((l) => (l ? ' '.repeat(depth) + l : l)).join('\n');
const header = (first: string[], imports: string[]) => [...new Set([...first, ...imports])].join('\n');
const topBlock = (top: string[]) => (top.length ? '\n\n' + top.join('\n\n') + '\n' : '');

export function pyFrameworks(): Framework[] {
  const flask: Framework = {
    id: 'flask',
    source: (key, i) =>
      [`request.args.get('${key}')`, `request.form['${key}']`, `request.get_json()['${key}']`, `request.headers.get('X-${key.replace(/_/g, '-')}')`, `request.cookies.get('${key}', '')`, `request.values.get('${key}', '')`][i % 6],
    respond: (expr) => `return ${expr}`,
    render: ({ imports, top, body, key, i }) => `${header(['from flask import Flask, request'], imports)}

app = Flask(__name__)${topBlock(top)}

@app.route('/${key.replace(/_/g, '-')}', methods=['${i % 2 ? 'POST' : 'GET'}'])
def $SNAKE():
${indent(body, 4)}
`,
  };
  const django: Framework = {
    id: 'django',
    source: (key, i) => [`request.GET.get('${key}', '')`, `request.POST['${key}']`, `request.META.get('HTTP_X_${key.toUpperCase()}', '')`, `request.COOKIES.get('${key}', '')`, key][i % 5],
    respond: (expr) => `return HttpResponse(${expr})`,
    render: ({ imports, top, body, key, unit, i }) => {
      const first = ['from django.http import HttpResponse'];
      if (i % 5 === 1) {
        return `${header([...first, 'from django.views import View'], imports)}${topBlock(top)}

class ${unit}View(View):
    def post(self, request):
${indent(body, 8)}
`;
      }
      return `${header(first, imports)}${topBlock(top)}

def $SNAKE(request${i % 5 === 4 ? `, ${key}` : ''}):
${indent(body, 4)}
`;
    },
  };
  const fastapi: Framework = {
    id: 'fastapi',
    source: (key) => `requested_${key}`,
    respond: (expr) => `return {"result": ${expr}}`,
    render: ({ imports, top, body, key, unit, i }) => {
      const kind = ['Query', 'Header', 'Form', 'Cookie'][i % 4];
      const alias = kind === 'Header' ? `'x-${key.replace(/_/g, '-')}'` : `'${key}'`;
      return `${header([`from fastapi import FastAPI, ${kind}`], imports)}

app = FastAPI()${topBlock(top)}

@app.${kind === 'Form' ? 'post' : 'get'}('/${key.replace(/_/g, '-')}')
async def $SNAKE(requested_${key}: str = ${kind}(alias=${alias})):
${indent(body, 4)}
`;
    },
  };
  return [flask, django, fastapi];
}

export function pyPropagations(): Propagation[] {
  return [
    { id: 'direct', safeModes: [], apply: (src) => ({ lines: [], expr: src }) },
    { id: 'local', safeModes: [], apply: (src, name) => ({ lines: [`${name} = ${src}`], expr: name }) },
    {
      id: 'helper',
      safeModes: [],
      apply: (src, name) => ({ top: ['def _normalize(value):\n    return str(value).strip()'], lines: [`${name} = _normalize(${src})`], expr: name }),
    },
    {
      id: 'dict',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        lines: [`options = {'requested': ${src}, 'fallback': ${literal}}`, `${name} = options['${mode === 'otherKey' ? 'fallback' : 'requested'}']`],
        expr: name,
      }),
    },
    {
      id: 'branch',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: ['threshold = 106', `${name} = ${mode === 'dead' ? literal : src} if (7 * 18) + threshold > 200 else ${mode === 'dead' ? src : literal}`],
        expr: name,
      }),
    },
    {
      id: 'list',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({ lines: [`candidates = [${literal}, ${src}]`, `${name} = candidates[${mode === 'otherKey' ? 0 : 1}]`], expr: name }),
    },
    {
      id: 'class-field',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        top: [`class _Lookup:\n    def __init__(self, raw):\n        self.raw = raw\n        self.preset = ${literal}\n\n    def value(self):\n        return self.${mode === 'otherKey' ? 'preset' : 'raw'}`],
        lines: [`${name} = _Lookup(${src}).value()`],
        expr: name,
      }),
    },
    {
      id: 'if-guard',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: [`mode = 'strict'`, `${name} = ${literal}`, `if mode ${mode === 'dead' ? '!=' : '=='} 'strict':`, `    ${name} = ${src}`],
        expr: name,
      }),
    },
    {
      id: 'split-join',
      safeModes: [],
      apply: (src, name) => ({ lines: ['parts = []', `for piece in str(${src}).split(','):`, '    parts.append(piece.strip())', `${name} = ','.join(parts)`], expr: name }),
    },
    { id: 'format', safeModes: [], apply: (src, name) => ({ lines: [`${name} = '{}'.format(${src}).strip()`], expr: name }) },
  ];
}
