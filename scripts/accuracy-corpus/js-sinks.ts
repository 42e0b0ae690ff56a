/** Where data is used in JavaScript/TypeScript: each sink vulnerable and sanitized. */
import type { Framework, Sink } from './model.ts';

const redirect = (fw: Framework, target: string): string[] => {
  if (fw.id === 'koa') return [`ctx.redirect(${target});`];
  if (fw.id === 'node-http') return [`res.writeHead(302, { Location: ${target} });`, 'res.end();'];
  if (fw.id === 'express-controller') return [`response.redirect(${target});`];
  return [`res.redirect(${target});`];
};
const session = (fw: Framework) => (fw.id === 'koa' ? 'ctx.session' : fw.id === 'express-controller' ? 'request.session' : 'req.session');
const PG = { imports: ['{ Pool }=pg'], top: ['const pool = new Pool();'] };
const MYSQL = { imports: ['mysql=mysql2/promise'], top: [`const db = mysql.createPool({ host: 'db', user: 'app', database: 'shop' });`] };
const KNEX = { imports: ['createKnex=knex'], top: [`const knex = createKnex({ client: 'pg', connection: process.env.DATABASE_URL });`] };
const SEQ = { imports: ['{ Sequelize, QueryTypes }=sequelize'], top: ['const sequelize = new Sequelize(process.env.DATABASE_URL);'] };
const FS = ['fs=node:fs', 'path=node:path'];
const LDAP = { imports: ['ldap=ldapjs'], top: [`const client = ldap.createClient({ url: 'ldap://directory.internal:389' });`, `const BASE_DN = 'ou=people,dc=example,dc=com';`] };
const XPATH = {
  imports: ['xpath=xpath', '{ DOMParser }=@xmldom/xmldom', 'fs=node:fs'],
  top: [`const directory = new DOMParser().parseFromString(fs.readFileSync('data/users.xml', 'utf8'), 'text/xml');`],
};
const MONGO = { imports: ['{ MongoClient }=mongodb'], top: [`const mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://localhost:27017');`, `const accounts = mongo.db('app').collection('accounts');`] };
const PINO = { imports: ['pino=pino'], top: ['const logger = pino();'] };
const ldapSearch = (filter: string) => [
  `client.search(BASE_DN, { filter: ${filter}, scope: 'sub' }, (err, result) => {`,
  '  if (err) return;',
  `  result.on('searchEntry', (entry) => console.log(entry.pojo));`,
  '});',
];

export function jsSinks(): Sink[] {
  return [
    {
      cwe: 'CWE-89',
      stem: 'sqli',
      keys: ['customer', 'email', 'lastName', 'sku', 'region', 'owner'],
      literals: [`'acme'`, `'ops@example.com'`, `'EMEA'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ ...PG, lines: [`const { rows } = await pool.query(\`SELECT id, total FROM orders WHERE customer = '\${${v}}'\`);`, fw.respond('rows')] }),
        (v, fw) => ({ ...MYSQL, lines: [`const sql = "SELECT * FROM users WHERE email = '" + ${v} + "'";`, 'const [found] = await db.query(sql);', fw.respond('found')] }),
        (v, fw) => ({ ...KNEX, lines: [`const result = await knex.raw("SELECT name FROM products WHERE sku = '" + ${v} + "'");`, fw.respond('result.rows')] }),
        (v, fw) => ({ ...SEQ, lines: [`const list = await sequelize.query(\`SELECT * FROM accounts WHERE owner = '\${${v}}'\`, { type: QueryTypes.SELECT });`, fw.respond('list')] }),
        (v, fw) => ({ ...PG, lines: [`const clauses = ['SELECT * FROM invoices', "WHERE region = '" + ${v} + "'", 'LIMIT 50'];`, `const { rows } = await pool.query(clauses.join(' '));`, fw.respond('rows')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...PG, lines: [`const { rows } = await pool.query('SELECT id, total FROM orders WHERE customer = $1', [${v}]);`, fw.respond('rows')] }),
        (v, fw) => ({ ...MYSQL, lines: [`const [found] = await db.execute('SELECT * FROM users WHERE email = ?', [${v}]);`, fw.respond('found')] }),
        (v, fw) => ({ ...KNEX, lines: [`const result = await knex('products').select('name').where('sku', ${v});`, fw.respond('result')] }),
        (v, fw) => ({ ...SEQ, lines: [`const list = await sequelize.query('SELECT * FROM accounts WHERE owner = :owner', { replacements: { owner: ${v} }, type: QueryTypes.SELECT });`, fw.respond('list')] }),
        (v, fw) => ({ ...MYSQL, lines: [`const sql = 'SELECT * FROM users WHERE email = ' + db.escape(${v});`, 'const [found] = await db.query(sql);', fw.respond('found')] }),
      ],
    },
    {
      cwe: 'CWE-78',
      stem: 'cmdi',
      keys: ['host', 'archive', 'branch', 'image', 'target'],
      literals: [`'example.com'`, `'backup.tar'`, `'main'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: ['{ exec }=node:child_process', '{ promisify }=node:util'], top: ['const run = promisify(exec);'], lines: [`const { stdout } = await run(\`ping -c 1 \${${v}}\`);`, fw.respond('stdout')] }),
        (v, fw) => ({ imports: ['{ execSync }=child_process'], lines: [`const listing = execSync('tar -tf ' + ${v}).toString();`, fw.respond('listing')] }),
        (v, fw) => ({ imports: ['{ spawn }=child_process'], lines: [`const child = spawn('sh', ['-c', \`git log --oneline \${${v}}\`]);`, `child.on('close', (code) => console.log('git exited', code));`, fw.respond(`'started'`)] }),
        (v, fw) => ({ imports: ['{ spawn }=child_process'], lines: [`spawn(\`docker pull \${${v}}\`, { shell: true });`, fw.respond(`'pulling'`)] }),
        (v, fw) => ({ imports: ['cp=child_process'], lines: [`const command = ['nslookup', ${v}].join(' ');`, 'cp.exec(command, (error, out) => {', '  if (error) console.error(error);', '  else console.log(out);', '});', fw.respond(`'queued'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['{ execFile }=node:child_process', '{ promisify }=node:util'], top: ['const run = promisify(execFile);'], lines: [`const { stdout } = await run('ping', ['-c', '1', ${v}]);`, fw.respond('stdout')] }),
        (v, fw) => ({ imports: ['{ execFileSync }=child_process'], lines: [`const listing = execFileSync('tar', ['-tf', ${v}]).toString();`, fw.respond('listing')] }),
        (v, fw) => ({ imports: ['{ spawn }=child_process'], lines: [`const child = spawn('git', ['log', '--oneline', ${v}]);`, `child.on('close', (code) => console.log('git exited', code));`, fw.respond(`'started'`)] }),
        (v, fw) => ({
          imports: ['{ spawn }=child_process'],
          top: [`const KNOWN_IMAGES = ['nginx:1.27', 'redis:7.4', 'postgres:17'];`],
          lines: [`if (!KNOWN_IMAGES.includes(${v})) {`, `  ${fw.respond(`'unknown image'`)}`, '  return;', '}', `spawn(\`docker pull \${${v}}\`, { shell: true });`, fw.respond(`'pulling'`)],
        }),
      ],
    },
    {
      cwe: 'CWE-22',
      stem: 'path',
      keys: ['file', 'report', 'avatar', 'attachment', 'doc'],
      literals: [`'summary.pdf'`, `'logo.png'`, `'readme.txt'`],
      numericSafe: true,
      count: 7,
      vulnerable: [
        (v, fw) => ({ imports: FS, top: [`const UPLOADS = '/srv/app/uploads';`], lines: [`const data = await fs.promises.readFile(path.join(UPLOADS, ${v}));`, fw.respond('data')] }),
        (v, fw) => ({ imports: ['fs=fs'], top: [`const REPORT_DIR = '/var/reports';`], lines: [`const content = fs.readFileSync(REPORT_DIR + '/' + ${v}, 'utf8');`, fw.respond('content')] }),
        (v, fw) => ({ imports: FS, lines: [`const target = path.resolve('/tmp/exports', \`\${${v}}.csv\`);`, 'fs.unlinkSync(target);', fw.respond(`'deleted'`)] }),
        (v, fw) => ({ imports: ['{ writeFile }=node:fs/promises', 'path=node:path'], top: [`const NOTES = path.join(process.cwd(), 'notes');`], lines: [`await writeFile(path.join(NOTES, ${v}), 'draft');`, fw.respond(`'saved'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: FS, top: [`const UPLOADS = '/srv/app/uploads';`], lines: [`const data = await fs.promises.readFile(path.join(UPLOADS, path.basename(${v})));`, fw.respond('data')] }),
        (v, fw) => ({
          imports: FS,
          top: [`const REPORT_DIR = path.resolve('/var/reports');`],
          lines: [`const resolved = path.resolve(REPORT_DIR, ${v});`, 'if (!resolved.startsWith(REPORT_DIR + path.sep)) {', `  ${fw.respond(`'forbidden'`)}`, '  return;', '}', `const content = fs.readFileSync(resolved, 'utf8');`, fw.respond('content')],
        }),
        (v, fw) => ({
          imports: FS,
          lines: [`const safeName = path.normalize(${v}).replace(/^(\\.\\.(\\/|\\\\|$))+/, '');`, `const target = path.join('/tmp/exports', safeName);`, 'fs.unlinkSync(target);', fw.respond(`'deleted'`)],
        }),
      ],
    },
    {
      cwe: 'CWE-79',
      stem: 'xss',
      keys: ['name', 'q', 'title', 'message', 'comment'],
      literals: [`'guest'`, `'Welcome'`],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => ({ lines: [fw.respond(`'<h1>Hello ' + ${v} + '</h1>'`)] }),
        (v, fw) => ({ lines: [`const page = \`<div class="result">Results for \${${v}}</div>\`;`, fw.respond('page')] }),
        (v, fw) => ({ lines: [`const html = ['<ul>', '<li>' + ${v} + '</li>', '</ul>'].join('');`, fw.respond('html')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['escapeHtml=escape-html'], lines: [fw.respond(`'<h1>Hello ' + escapeHtml(${v}) + '</h1>'`)] }),
        (v, fw) => ({ imports: ['he=he'], lines: [`const page = \`<div class="result">Results for \${he.encode(String(${v}))}</div>\`;`, fw.respond('page')] }),
        (v, fw) => ({
          top: [`const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };`],
          lines: [`const shown = String(${v}).replace(/[&<>"']/g, (c) => ENTITIES[c]);`, `const html = ['<ul>', '<li>' + shown + '</li>', '</ul>'].join('');`, fw.respond('html')],
        }),
      ],
    },
    {
      cwe: 'CWE-79',
      stem: 'dom-xss',
      keys: ['name', 'message', 'tab', 'title'],
      literals: [`'friend'`, `'overview'`],
      frameworks: ['browser'],
      numericSafe: true,
      count: 4,
      vulnerable: [
        (v) => ({ lines: [`document.getElementById('greeting').innerHTML = 'Welcome, ' + ${v};`] }),
        (v) => ({ lines: [`document.write('<p class="notice">' + ${v} + '</p>');`] }),
        (v) => ({ lines: [`const list = document.querySelector('#history');`, `list.insertAdjacentHTML('beforeend', \`<li>\${${v}}</li>\`);`] }),
      ],
      sanitized: [
        (v) => ({ lines: [`document.getElementById('greeting').textContent = 'Welcome, ' + ${v};`] }),
        (v) => ({ imports: ['DOMPurify=dompurify'], lines: [`document.body.insertAdjacentHTML('afterbegin', DOMPurify.sanitize('<p class="notice">' + ${v} + '</p>'));`] }),
        (v) => ({ lines: [`const list = document.querySelector('#history');`, `const item = document.createElement('li');`, `item.appendChild(document.createTextNode(${v}));`, 'list.appendChild(item);'] }),
      ],
    },
    {
      cwe: 'CWE-90',
      stem: 'ldapi',
      keys: ['username', 'uid', 'mail', 'group'],
      literals: [`'jdoe'`, `'staff'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...LDAP, lines: [...ldapSearch(`'(uid=' + ${v} + ')'`), fw.respond(`'searching'`)] }),
        (v, fw) => ({ ...LDAP, lines: [`const filter = \`(&(objectClass=person)(mail=\${${v}}))\`;`, ...ldapSearch('filter'), fw.respond(`'searching'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ ...LDAP, lines: [...ldapSearch(`new ldap.EqualityFilter({ attribute: 'uid', value: ${v} })`), fw.respond(`'searching'`)] }),
        (v, fw) => ({ ...LDAP, imports: [...LDAP.imports, '{ filter as ldapFilter }=ldap-escape'], lines: [`const filter = ldapFilter\`(&(objectClass=person)(mail=\${${v}}))\`;`, ...ldapSearch('filter'), fw.respond(`'searching'`)] }),
      ],
    },
    {
      cwe: 'CWE-643',
      stem: 'xpathi',
      keys: ['user', 'role', 'sku', 'login'],
      literals: [`'admin'`, `'A-100'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...XPATH, lines: [`const nodes = xpath.select("//user[@name='" + ${v} + "']/email/text()", directory);`, fw.respond('String(nodes)')] }),
        (v, fw) => ({ ...XPATH, lines: [`const expression = \`/catalog/item[@sku='\${${v}}']/price\`;`, 'const price = xpath.select1(expression, directory);', fw.respond('String(price)')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...XPATH, lines: [`const nodes = xpath.parse('//user[@name=$name]/email/text()').select({ node: directory, variables: { name: ${v} } });`, fw.respond('String(nodes)')] }),
        (v, fw) => ({
          ...XPATH,
          lines: [`if (!/^[A-Za-z0-9-]{1,32}$/.test(${v})) {`, `  ${fw.respond(`'invalid'`)}`, '  return;', '}', `const expression = \`/catalog/item[@sku='\${${v}}']/price\`;`, 'const price = xpath.select1(expression, directory);', fw.respond('String(price)')],
        }),
      ],
    },
    {
      cwe: 'CWE-501',
      stem: 'trust',
      keys: ['role', 'tenant', 'plan', 'locale'],
      literals: [`'viewer'`, `'default'`],
      frameworks: ['express', 'koa', 'express-controller'],
      count: 5,
      vulnerable: [
        (v, fw, key) => ({ lines: [`${session(fw)}.${key} = ${v};`, fw.respond(`'updated'`)] }),
        (v, fw, key) => ({ lines: [`${session(fw)}['${key}'] = ${v};`, `${session(fw)}.updatedAt = Date.now();`, fw.respond(`'ok'`)] }),
      ],
      sanitized: [
        (v, fw, key) => ({
          top: [`const ALLOWED = new Set(['viewer', 'editor', 'default', 'en', 'fr']);`],
          lines: [`if (ALLOWED.has(${v})) {`, `  ${session(fw)}.${key} = ${v};`, '}', fw.respond(`'updated'`)],
        }),
        (v, fw, key) => ({
          top: [`const CATALOG = new Map([['free', { id: 'free' }], ['pro', { id: 'pro' }]]);`],
          lines: [`const known = CATALOG.get(${v});`, `${session(fw)}['${key}'] = known ? known.id : 'free';`, fw.respond(`'ok'`)],
        }),
      ],
    },
    {
      cwe: 'CWE-918',
      stem: 'ssrf',
      keys: ['callbackUrl', 'endpoint', 'webhook', 'feed'],
      literals: [`'https://status.example.com/health'`],
      count: 6,
      vulnerable: [
        (v, fw) => ({ imports: ['axios=axios'], lines: [`const upstream = await axios.get(${v});`, fw.respond('upstream.data')] }),
        (v, fw) => ({ lines: [`const reply = await fetch(${v}, { method: 'POST', body: '{}' });`, fw.respond('await reply.text()')] }),
        (v, fw) => ({ imports: ['got=got'], lines: [`const body = await got(\`\${${v}}/metrics\`).text();`, fw.respond('body')] }),
      ],
      sanitized: [
        (v, fw) => ({
          imports: ['axios=axios'],
          top: [`const ALLOWED_HOSTS = new Set(['status.example.com', 'api.example.com']);`],
          lines: [`const parsed = new URL(${v});`, `if (parsed.protocol !== 'https:' || !ALLOWED_HOSTS.has(parsed.hostname)) {`, `  ${fw.respond(`'blocked'`)}`, '  return;', '}', 'const upstream = await axios.get(parsed.toString());', fw.respond('upstream.data')],
        }),
        (v, fw) => ({
          top: [`const HOOKS = { slack: 'https://hooks.slack.com/services/T000/B000', teams: 'https://example.webhook.office.com/hook' };`],
          lines: [`const destination = HOOKS[${v}];`, 'if (!destination) {', `  ${fw.respond(`'unknown hook'`)}`, '  return;', '}', `const reply = await fetch(destination, { method: 'POST', body: '{}' });`, fw.respond('await reply.text()')],
        }),
      ],
    },
    {
      cwe: 'CWE-601',
      stem: 'redirect',
      keys: ['next', 'returnTo', 'redirect', 'continueUrl'],
      literals: [`'/dashboard'`, `'/home'`],
      count: 6,
      vulnerable: [(v, fw) => ({ lines: redirect(fw, v) }), (v, fw) => ({ lines: [`const destination = \`\${${v}}?welcome=1\`;`, ...redirect(fw, 'destination')] })],
      sanitized: [
        (v, fw) => ({
          lines: [`const parsed = new URL(${v}, 'https://app.example.com');`, `const destination = parsed.origin === 'https://app.example.com' ? parsed.pathname : '/';`, ...redirect(fw, 'destination')],
        }),
        (v, fw) => ({ lines: redirect(fw, `'/profile/' + encodeURIComponent(${v})`) }),
        (v, fw) => ({ top: [`const SAFE_PAGES = ['/dashboard', '/settings', '/billing'];`], lines: [`const destination = SAFE_PAGES.includes(${v}) ? ${v} : '/dashboard';`, ...redirect(fw, 'destination')] }),
      ],
    },
    {
      cwe: 'CWE-943',
      stem: 'nosqli',
      keys: ['owner', 'status', 'username', 'team'],
      literals: [`'active'`, `'core'`],
      numericSafe: true,
      count: 5,
      vulnerable: [
        (v, fw) => ({ ...MONGO, lines: [`const found = await accounts.find({ $where: "this.owner == '" + ${v} + "'" }).toArray();`, fw.respond('found')] }),
        (v, fw) => ({ ...MONGO, lines: [`const clause = \`this.status === '\${${v}}' && this.deleted !== true\`;`, 'const found = await accounts.find({ $where: clause }).toArray();', fw.respond('found')] }),
      ],
      sanitized: [
        (v, fw) => ({ ...MONGO, lines: [`const found = await accounts.find({ owner: String(${v}) }).toArray();`, fw.respond('found')] }),
        (v, fw) => ({ ...MONGO, lines: [`const found = await accounts.find({ status: { $eq: String(${v}) }, deleted: { $ne: true } }).toArray();`, fw.respond('found')] }),
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
        (v, fw) => ({ lines: [`console.log('Login failed for ' + ${v});`, fw.respond(`'denied'`)] }),
        (v, fw) => ({ ...PINO, lines: [`logger.warn(\`unknown coupon \${${v}}\`);`, fw.respond(`'invalid'`)] }),
        (v, fw) => ({ imports: ['winston=winston'], top: ['const audit = winston.createLogger({ transports: [new winston.transports.File({ filename: "audit.log" })] });'], lines: [`audit.info('request from agent ' + ${v});`, fw.respond(`'ok'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ lines: [`const printable = String(${v}).replace(/[\\r\\n]+/g, ' ');`, `console.log('Login failed for ' + printable);`, fw.respond(`'denied'`)] }),
        (v, fw) => ({ ...PINO, lines: [`logger.warn({ coupon: ${v} }, 'unknown coupon');`, fw.respond(`'invalid'`)] }),
        (v, fw) => ({ imports: ['winston=winston'], top: ['const audit = winston.createLogger({ transports: [new winston.transports.File({ filename: "audit.log" })] });'], lines: [`audit.info('request from agent ' + JSON.stringify(${v}));`, fw.respond(`'ok'`)] }),
      ],
    },
    {
      cwe: 'CWE-94',
      stem: 'codei',
      keys: ['expr', 'formula', 'rule', 'transform'],
      literals: [`'1 + 1'`, `'price * 2'`],
      numericSafe: true,
      count: 6,
      vulnerable: [
        (v, fw) => ({ lines: [`const outcome = eval(${v});`, fw.respond('String(outcome)')] }),
        (v, fw) => ({ lines: [`const compute = new Function('price', 'return ' + ${v});`, fw.respond('String(compute(10))')] }),
        (v, fw) => ({ imports: ['vm=node:vm'], lines: [`const outcome = vm.runInNewContext(${v}, { Math });`, fw.respond('String(outcome)')] }),
      ],
      sanitized: [
        (v, fw) => ({ lines: [`const outcome = JSON.parse(${v});`, fw.respond('String(outcome)')] }),
        (v, fw) => ({
          top: [`const FORMULAS = { double: (price) => price * 2, discounted: (price) => price * 0.9 };`],
          lines: [`const compute = FORMULAS[${v}] ?? ((price) => price);`, fw.respond('String(compute(10))')],
        }),
      ],
    },
    {
      cwe: 'CWE-502',
      stem: 'deser',
      keys: ['profile', 'state', 'prefs', 'cart'],
      literals: [`'{"theme":"dark"}'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ imports: ['serialize=node-serialize'], lines: [`const restored = serialize.unserialize(Buffer.from(${v}, 'base64').toString('utf8'));`, fw.respond('restored.theme')] }),
        (v, fw) => ({ imports: ['{ unserialize }=node-serialize'], lines: [`const restored = unserialize(${v});`, fw.respond(`'restored'`)] }),
      ],
      sanitized: [
        (v, fw) => ({ lines: [`const restored = JSON.parse(Buffer.from(${v}, 'base64').toString('utf8'));`, fw.respond('restored.theme')] }),
        (v, fw) => ({ imports: ['yaml=js-yaml'], lines: [`const restored = yaml.load(${v}, { schema: yaml.JSON_SCHEMA });`, fw.respond(`'restored'`)] }),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'redos',
      keys: ['pattern', 'filter', 'search', 'mask'],
      literals: [`'^[a-z]+$'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ lines: [`const matcher = new RegExp(${v});`, `const hits = ['alpha', 'beta', 'gamma'].filter((name) => matcher.test(name));`, fw.respond('hits.join()')] }),
        (v, fw) => ({ lines: [`const matcher = new RegExp('^' + ${v} + '$', 'i');`, fw.respond(`String(matcher.test('report-2024.pdf'))`)] }),
      ],
      sanitized: [
        (v, fw) => ({
          lines: [`const escaped = String(${v}).replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&');`, 'const matcher = new RegExp(escaped);', `const hits = ['alpha', 'beta', 'gamma'].filter((name) => matcher.test(name));`, fw.respond('hits.join()')],
        }),
        (v, fw) => ({ imports: ['escapeRegExp=lodash/escapeRegExp'], lines: [`const matcher = new RegExp('^' + escapeRegExp(${v}) + '$', 'i');`, fw.respond(`String(matcher.test('report-2024.pdf'))`)] }),
      ],
    },
    {
      cwe: 'CWE-611',
      stem: 'xxe',
      keys: ['xml', 'payload', 'feed', 'document'],
      literals: [`'<order id="1"/>'`],
      count: 5,
      vulnerable: [
        (v, fw) => ({ imports: ['libxmljs=libxmljs'], lines: [`const parsed = libxmljs.parseXml(${v}, { noent: true });`, fw.respond('parsed.root().name()')] }),
        (v, fw) => ({ imports: ['libxmljs=libxmljs2'], lines: [`const parsed = libxmljs.parseXmlString(${v}, { noent: true, dtdload: true });`, fw.respond('parsed.root().text()')] }),
      ],
      sanitized: [
        (v, fw) => ({ imports: ['libxmljs=libxmljs'], lines: [`const parsed = libxmljs.parseXml(${v}, { noent: false, nonet: true });`, fw.respond('parsed.root().name()')] }),
        (v, fw) => ({ imports: ['libxmljs=libxmljs2'], lines: [`const parsed = libxmljs.parseXmlString(${v});`, fw.respond('parsed.root().text()')] }),
      ],
    },
  ];
}
