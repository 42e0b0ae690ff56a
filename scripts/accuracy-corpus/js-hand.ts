/**
 * Hand-written JavaScript/TypeScript pairs in the shape of application code: the sink inside a
 * repository or service method, a sanitizer in a same-file helper, loops building queries,
 * middleware handing data to a later handler.
 */
import { pair, type FixedGroup } from './model.ts';

export function jsHand(ts: boolean): FixedGroup[] {
  const t = (annotation: string) => (ts ? annotation : '');
  const rr = ts ? 'req: Request, res: Response' : 'req, res';
  const expressImport = ts ? `import express, { type Request, type Response } from 'express';` : `import express from 'express';`;
  const repo = (where: string, call: string) => `${expressImport}
import { Pool } from 'pg';

class OrderRepository {
${ts ? '  private readonly db: Pool;\n\n' : ''}  constructor(db${t(': Pool')}) {
    this.db = db;
  }

  async byStatus(status${t(': string')}) {
${where}
    return (await ${call}).rows;
  }
}

const orders = new OrderRepository(new Pool());
export const router = express.Router();

router.get('/orders', async (${rr}) => {
  res.json(await orders.byStatus(String(req.query.status)));
});
`;
  const search = (push: string, run: string) => `${expressImport}
import { Pool } from 'pg';

const pool = new Pool();
const SEARCHABLE = ['name', 'brand', 'color'];
const app = express();

app.get('/products', async (${rr}) => {
  const clauses${t(': string[]')} = [];
  const params${t(': unknown[]')} = [];
  for (const [column, value] of Object.entries(req.query)) {
    if (!SEARCHABLE.includes(column)) continue;
${push}
  }
  const where = clauses.length ? ' WHERE ' + clauses.join(' AND ') : '';
  const { rows } = await ${run};
  res.json(rows);
});

export default app;
`;
  const backup = (clean: string) => `${expressImport}
import { exec } from 'node:child_process';

const BACKUP_DIR = '/var/lib/app/data';
const app = express();
app.use(express.json());

function labelFor(raw${t(': string')}) {
${clean}
}

function archive(dir${t(': string')}, label${t(': string')}) {
  exec(\`tar -czf /backups/\${label}.tgz \${dir}\`, (error) => {
    if (error) console.error('backup failed', error);
  });
}

app.post('/backups', (${rr}) => {
  archive(BACKUP_DIR, labelFor(req.body.label));
  res.status(202).send('started');
});

export default app;
`;
  const storage = (read: string) => `${expressImport}
import fs from 'node:fs';
import path from 'node:path';

class Storage {
${ts ? '  private readonly root: string;\n\n' : ''}  constructor(root${t(': string')}) {
    this.root = root;
  }

  read(name${t(': string')}) {
${read}
  }
}

const avatars = new Storage('/srv/avatars');
const app = express();
app.get('/avatars/:name', (${rr}) => {
  res.type('png').send(avatars.read(req.params.name));
});

export default app;
`;
  const locals = (show: string, extra = '') => `${expressImport}${extra}

const app = express();

app.use((req${t(': Request')}, res${t(': Response')}, next${t(': () => void')}) => {
  res.locals.visitor = req.query.visitor ?? 'friend';
  next();
});

app.get('/', (${rr}) => {
  res.send('<main><p>Welcome back, ' + ${show} + '</p></main>');
});

export default app;
`;
  const statusUrl = (arg: string) => `${expressImport}

const SERVICES${t(': Record<string, string>')} = { billing: 'billing.internal', search: 'search.internal' };
const app = express();

function statusUrl(host${t(': string')}) {
  return \`http://\${host}:8080/status\`;
}

app.get('/health', async (${rr}) => {
  const reply = await fetch(statusUrl(${arg}));
  res.status(reply.status).send(await reply.text());
});

export default app;
`;
  const login = (check: string) => `${expressImport}

const app = express();
app.use(express.urlencoded({ extended: false }));

function isLocalPath(target${t(': string')}) {
${check}
}

app.post('/login', (${rr}) => {
  const next = String(req.query.next ?? '/');
  res.redirect(isLocalPath(next) ? next : '/');
});

export default app;
`;
  const rules = (source: string) => `${expressImport}

const app = express();
app.use(express.json());
const DEFAULT_RULES = [{ name: 'big order', condition: 'order.total > 1000' }];

app.post('/orders/check', (${rr}) => {
  const rules${t(': Array<{ name: string; condition: string }>')} = ${source};
  const hits = rules.filter((rule) => new Function('order', \`return (\${rule.condition});\`)(req.body.order));
  res.json(hits.map((rule) => rule.name));
});

export default app;
`;
  return [
    {
      cwe: 'CWE-89',
      stem: 'app',
      cases: [
        ...pair('repository', repo("    const sql = \"SELECT id, total FROM orders WHERE status = '\" + status + \"' ORDER BY created_at DESC\";", 'this.db.query(sql)'), repo("    const sql = 'SELECT id, total FROM orders WHERE status = $1 ORDER BY created_at DESC';", 'this.db.query(sql, [status])')),
        ...pair('filters', search("    clauses.push(`${column} = '${value}'`);", "pool.query('SELECT * FROM products' + where)"), search('    params.push(value);\n    clauses.push(`${column} = $${params.length}`);', "pool.query('SELECT * FROM products' + where, params)")),
      ],
    },
    { cwe: 'CWE-78', stem: 'app', cases: pair('helper-clean', backup('  return raw.trim();'), backup(`  return raw.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, 40) || 'backup';`)) },
    { cwe: 'CWE-22', stem: 'app', cases: pair('storage', storage('    return fs.readFileSync(path.join(this.root, name));'), storage('    return fs.readFileSync(path.join(this.root, path.basename(name)));')) },
    { cwe: 'CWE-79', stem: 'app', cases: pair('locals', locals('res.locals.visitor'), locals('escapeHtml(String(res.locals.visitor))', `\nimport escapeHtml from 'escape-html';`)) },
    { cwe: 'CWE-918', stem: 'app', cases: pair('helper-url', statusUrl('String(req.query.host)'), statusUrl(`SERVICES[String(req.query.service)] ?? 'localhost'`)) },
    { cwe: 'CWE-601', stem: 'app', cases: pair('local-check', login(`  return target.startsWith('/');`), login(`  return target.startsWith('/') && !target.startsWith('//') && !target.includes('\\\\');`)) },
    { cwe: 'CWE-94', stem: 'app', cases: pair('rules', rules('req.body.rules'), rules('DEFAULT_RULES')) },
    {
      // A sanitizer only protects the sinks it was made for: URL encoding leaves quotes alone.
      cwe: 'CWE-89',
      stem: 'mixed',
      cases: [
        ...pair('wrong-encoder', wrongSql(`"SELECT * FROM notes WHERE slug = '" + encodeURIComponent(slug) + "'"`, ''), wrongSql(`'SELECT * FROM notes WHERE slug = $1'`, ', [slug]')),
        { vulnerable: false, text: trustedSql(`const table = process.env.AUDIT_TABLE ?? 'audit_log';`, `'SELECT id, action FROM ' + table + ' ORDER BY id DESC LIMIT ' + PAGE_SIZE`) },
        { vulnerable: false, text: trustedSql(`const table = 'audit_log';`, '`SELECT id, action FROM ${table} ORDER BY id DESC LIMIT ${PAGE_SIZE}`') },
      ],
    },
  ];

  function wrongSql(query: string, args: string) {
    return `${expressImport}
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/notes/:slug', async (${rr}) => {
  const slug = req.params.slug;
  const { rows } = await pool.query(${query}${args});
  res.json(rows);
});

export default app;
`;
  }

  function trustedSql(tableLine: string, query: string) {
    return `${expressImport}
import { Pool } from 'pg';

const pool = new Pool();
const PAGE_SIZE = 100;
${tableLine}
const app = express();

app.get('/audit', async (${rr}) => {
  const { rows } = await pool.query(${query});
  res.json(rows);
});

export default app;
`;
  }
}
