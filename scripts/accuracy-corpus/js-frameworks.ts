/** Where data enters JavaScript/TypeScript handlers, and how it moves inside them. */
import type { Framework, Propagation } from './model.ts';

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `binding=module` → an import line in CommonJS or ESM style. */
export function importLine(spec: string, esm: boolean): string {
  const [binding, module] = spec.split('=');
  return esm ? `import ${binding} from '${module}';` : `const ${binding} = require('${module}');`;
}

const header = (imports: string[], esm: boolean, first: string[]) =>
  [...first.map((s) => importLine(s, esm)), ...imports.filter((s) => !first.includes(s)).map((s) => importLine(s, esm))].join('\n');

const indent = (lines: string[], depth: number) => lines.map((l) => (l ? ' '.repeat(depth) + l : l)).join('\n');

export function jsFrameworks(ts: boolean): Framework[] {
  const esmFor = (i: number) => ts || i % 2 === 1;
  const reqT = ts ? ': Request' : '';
  const resT = ts ? ': Response' : '';
  const express: Framework = {
    id: 'express',
    source: (key, i) => [`req.query.${key}`, `req.body.${key}`, `req.params.${key}`, `req.get('X-${cap(kebab(key))}')`, `req.cookies.${key}`][i % 5],
    respond: (expr) => `res.send(${expr});`,
    render: ({ imports, top, body, key, i }) => {
      const esm = esmFor(i);
      const first = ['express=express', ...(i % 5 === 4 ? ['cookieParser=cookie-parser'] : [])];
      if (ts) first.splice(1, 0, '{ type Request, type Response }=express');
      const route = i % 5 === 2 ? `/api/records/:${key}` : `/api/${kebab(key)}`;
      return `${header(imports, esm, first)}

const app = express();
app.use(express.json());${i % 5 === 4 ? '\napp.use(cookieParser());' : ''}
${top.length ? '\n' + top.join('\n') + '\n' : ''}
app.${i % 2 ? 'post' : 'get'}('${route}', async (req${reqT}, res${resT}) => {
${indent(body, 2)}
});

${esm ? 'export default app;' : 'module.exports = app;'}
`;
    },
  };
  const controller: Framework = {
    ...express,
    id: 'express-controller',
    source: (key, i) => [`request.body.${key}`, `request.query.${key}`, `request.headers['x-${kebab(key)}']`][i % 3],
    respond: (expr) => `response.status(200).send(${expr});`,
    render: ({ imports, top, body, key, unit, i }) => {
      const esm = esmFor(i);
      const first = ts ? ['{ Router, type Request, type Response }=express'] : ['{ Router }=express'];
      return `${header(imports, esm, first)}
${top.length ? '\n' + top.join('\n') + '\n' : ''}
${esm ? 'export ' : ''}async function handle${unit}(request${reqT}, response${resT}) {
${indent(body, 2)}
}

const router = Router();
router.post('/${kebab(key)}', handle${unit});
${esm ? 'export default router;' : 'module.exports = { router, handle' + unit + ' };'}
`;
    },
  };
  const koa: Framework = {
    id: 'koa',
    source: (key, i) => [`ctx.query.${key}`, `ctx.request.body.${key}`, `ctx.params.${key}`, `ctx.get('X-${cap(kebab(key))}')`, `ctx.cookies.get('${key}')`][i % 5],
    respond: (expr) => `ctx.body = ${expr};`,
    render: ({ imports, top, body, key, i }) => {
      const esm = esmFor(i);
      const first = ['Koa=koa', 'Router=@koa/router', 'bodyParser=koa-bodyparser'];
      if (ts) first.push('{ type Context }=koa');
      return `${header(imports, esm, first)}

const app = new Koa();
const router = new Router();
${top.length ? '\n' + top.join('\n') + '\n' : ''}
router.${i % 2 ? 'post' : 'get'}('/v1/${kebab(key)}/:${key}', async (ctx${ts ? ': Context' : ''}) => {
${indent(body, 2)}
});

app.use(bodyParser());
app.use(router.routes());
${esm ? 'export default app;' : 'module.exports = app;'}
`;
    },
  };
  const nodeHttp: Framework = {
    id: 'node-http',
    source: (key, i) => [`url.searchParams.get('${key}')`, `String(req.headers['x-${kebab(key)}'])`][i % 2],
    respond: (expr) => `res.end(${expr});`,
    render: ({ imports, top, body, i }) => {
      const esm = esmFor(i);
      const sig = ts ? '(req: IncomingMessage, res: ServerResponse)' : '(req, res)';
      const first = ts ? ['http=node:http', '{ type IncomingMessage, type ServerResponse }=node:http'] : ['http=http'];
      return `${header(imports, esm, first)}
${top.length ? '\n' + top.join('\n') + '\n' : ''}
const server = http.createServer(async ${sig} => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
${indent(body, 2)}
});

server.listen(Number(process.env.PORT ?? 8080));
`;
    },
  };
  const browser: Framework = {
    id: 'browser',
    source: (key, i) =>
      [`new URLSearchParams(window.location.search).get('${key}')`, `decodeURIComponent(location.hash.slice(1))`, `event.data.${key}`][i % 3],
    respond: (expr) => `console.debug(${expr});`,
    render: ({ imports, top, body, i }) => {
      const fromMessage = i % 3 === 2;
      return `${imports.map((s) => importLine(s, true)).join('\n')}
${top.join('\n')}
${fromMessage ? `window.addEventListener('message', (event${ts ? ': MessageEvent' : ''}) => {` : `document.addEventListener('DOMContentLoaded', () => {`}
${indent(body, 2)}
});
`;
    },
  };
  const frameworks = [express, koa, nodeHttp, controller, browser];
  if (ts) frameworks.push(nestFramework());
  return frameworks;
}

function nestFramework(): Framework {
  const decorators = ['Query', 'Param', 'Body', 'Headers'];
  return {
    id: 'nest',
    source: (key) => `${key}Param`,
    respond: (expr) => `res.send(${expr});`,
    render: ({ imports, top, body, key, unit, i }) => {
      const deco = decorators[i % decorators.length];
      const arg = deco === 'Headers' ? `'x-${kebab(key)}'` : `'${key}'`;
      const verb = deco === 'Body' ? 'Post' : 'Get';
      const path = deco === 'Param' ? `':${key}'` : `'${kebab(key)}'`;
      return `import { Controller, ${verb}, ${deco}, Res } from '@nestjs/common';
import type { Response } from 'express';
${imports.map((s) => importLine(s, true)).join('\n')}
${top.length ? '\n' + top.join('\n') + '\n' : ''}
@Controller('records')
export class ${unit}Controller {
  @${verb}(${path})
  async handle(@${deco}(${arg}) ${key}Param: string, @Res() res: Response) {
${indent(body, 4)}
  }
}
`;
    },
  };
}

export function jsPropagations(ts: boolean): Propagation[] {
  const s = ts ? ': string' : '';
  return [
    { id: 'direct', safeModes: [], apply: (src) => ({ lines: [], expr: src }) },
    { id: 'local', safeModes: [], apply: (src, name) => ({ lines: [`const ${name} = ${src};`], expr: name }) },
    {
      id: 'helper',
      safeModes: [],
      apply: (src, name) => ({
        top: [`function normalize$UNIT(value${s})${s} {\n  return String(value).trim();\n}`],
        lines: [`const ${name} = normalize$UNIT(${src});`],
        expr: name,
      }),
    },
    {
      id: 'object',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        lines: [`const options = { requested: ${src}, fallback: ${literal} };`, `const ${name} = options.${mode === 'otherKey' ? 'fallback' : 'requested'};`],
        expr: name,
      }),
    },
    {
      id: 'branch',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: ['const threshold = 106;', `const ${name} = (7 * 18) + threshold > 200 ? ${mode === 'dead' ? literal : src} : ${mode === 'dead' ? src : literal};`],
        expr: name,
      }),
    },
    {
      id: 'map',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        lines: [
          `const fields = new Map${ts ? '<string, string>' : ''}();`,
          `fields.set('input', ${src});`,
          `fields.set('default', ${literal});`,
          `const ${name} = fields.get('${mode === 'otherKey' ? 'default' : 'input'}')${ts ? ' ?? ' + literal : ''};`,
        ],
        expr: name,
      }),
    },
    {
      id: 'class-field',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        top: [
          `class Lookup$UNIT {\n${ts ? `  private readonly raw: string;\n  private readonly preset: string;\n` : ''}  constructor(raw${s}) {\n    this.raw = raw;\n    this.preset = ${literal};\n  }\n\n  value()${s} {\n    return this.${mode === 'otherKey' ? 'preset' : 'raw'};\n  }\n}`,
        ],
        lines: [`const lookup = new Lookup$UNIT(${src});`, `const ${name} = lookup.value();`],
        expr: name,
      }),
    },
    {
      id: 'array',
      safeModes: ['otherKey'],
      apply: (src, name, mode, literal) => ({
        lines: [`const candidates = [${literal}, ${src}];`, `const ${name} = candidates[${mode === 'otherKey' ? 0 : 1}];`],
        expr: name,
      }),
    },
    {
      id: 'if-guard',
      safeModes: ['dead'],
      apply: (src, name, mode, literal) => ({
        lines: [`const mode = 'strict';`, `let ${name} = ${literal};`, `if (mode ${mode === 'dead' ? '!==' : '==='} 'strict') {`, `  ${name} = ${src};`, '}'],
        expr: name,
      }),
    },
    {
      id: 'split-join',
      safeModes: [],
      apply: (src, name) => ({
        lines: [`const parts${ts ? ': string[]' : ''} = [];`, `for (const piece of String(${src}).split(',')) {`, '  parts.push(piece.trim());', '}', `const ${name} = parts.join(',');`],
        expr: name,
      }),
    },
  ];
}
