import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { findRule } from '#server/modules/analysis/rule-docs.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sarifSchemaErrors } from '../helpers/sarif-schema.ts';
import { makeTree, runNyx, SAMPLE_TREE, writeTree } from './run-nyx.ts';

interface JsonReport {
  mode: string;
  summary: { error: number; warning: number; info: number };
  findings: Array<{ ruleId: string; severity: string; path: string; range: { startLine: number }; fingerprint: string }>;
}

/** What must agree between modes: identity, rule, place and severity. */
const essence = (report: JsonReport) => report.findings.map((f) => `${f.path}:${f.range.startLine} ${f.ruleId} ${f.severity} ${f.fingerprint}`).sort();

describe('nyx analyze (the CLI bin)', function () {
  this.timeout(180_000);
  let tree: Awaited<ReturnType<typeof makeTree>>;
  let nyx: TestNyx;
  let team: TestTenant;
  let projectId: string;

  before(async () => {
    tree = await makeTree(SAMPLE_TREE);
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'cli');
    const project = await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'cli' } });
    assert.equal(project.status, 201, JSON.stringify(project.body));
    projectId = project.body.id;
  });
  after(async () => {
    await tree.remove();
  });

  const serverArgs = () => ['--server', nyx.url, '--token', team.token, '--project', projectId];

  it('offline: finds the error, warning and info, leaves .gitignored files out, exits 1 on the error', async () => {
    const run = await runNyx(['analyze', tree.dir, '--offline', '--format', 'json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const rules = report.findings.map((f) => `${f.path} ${f.ruleId}`);
    assert.ok(rules.includes('src/users.js nyx/dangerous/sql-injection'), rules.join('\n'));
    assert.ok(rules.includes('src/safe.js nyx/correctness/empty-catch'), rules.join('\n'));
    assert.ok(rules.includes('src/safe.js nyx/maintainability/todo-comment'), rules.join('\n'));
    assert.ok(report.findings.every((f) => !f.path.startsWith('build/') && f.path !== 'debug.log'), 'ignored files were analyzed');
    assert.equal(report.mode, 'offline');
  });

  it('server mode gives the same findings as offline on the same tree', async () => {
    const offline = await runNyx(['analyze', tree.dir, '--offline', '--format', 'json']);
    const server = await runNyx(['analyze', tree.dir, ...serverArgs(), '--format', 'json']);
    assert.equal(server.code, 1, server.stderr);
    assert.match(server.stderr, /analyzing 3 files/, 'plain progress lines when stderr is not a terminal');
    const serverReport = JSON.parse(server.stdout) as JsonReport;
    assert.equal(serverReport.mode, 'server');
    assert.ok(serverReport.findings.length >= 3);
    assert.deepEqual(essence(serverReport), essence(JSON.parse(offline.stdout) as JsonReport));
  });

  it('uploads only the blobs the server lacks: a second run sends none', async () => {
    const manifestCheck = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots/check`, {
      token: team.token,
      body: { files: [{ path: 'src/users.js', sha256: sha256(SAMPLE_TREE['src/users.js']!), size: Buffer.byteLength(SAMPLE_TREE['src/users.js']!) }] },
    });
    assert.deepEqual(manifestCheck.body.missing, [], 'the first server run uploaded src/users.js');
    const again = await runNyx(['analyze', tree.dir, ...serverArgs(), '--format', 'json']);
    assert.equal(again.code, 1, again.stderr);
    assert.doesNotMatch(again.stderr, /uploaded/);
  });

  it('SARIF output validates against the SARIF 2.1.0 schema, with CWE taxonomy and fingerprints', async () => {
    const output = join(tree.dir, '..', `nyx-${process.pid}.sarif`);
    const run = await runNyx(['analyze', tree.dir, '--offline', '--format', 'sarif', '--output', output]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '', 'the report goes to --output, not stdout');
    const log = JSON.parse(await readFile(output, 'utf8'));
    assert.deepEqual(sarifSchemaErrors(log), []);
    const results = log.runs[0].results as Array<{ ruleId: string; partialFingerprints: Record<string, string> }>;
    assert.ok(results.some((r) => r.ruleId === 'nyx/dangerous/sql-injection'));
    assert.ok(results.every((r) => /^[0-9a-f]{32}$/.test(r.partialFingerprints['nyxFingerprint/v1']!)));
    // CWE taxonomy: every CWE the catalog gives the reported rules is listed (the rules carry CWE
    // ids as the catalog gains them; test/server/analysis/sarif.test.ts covers the builder with CWE rules).
    const expectedCwe = [...new Set(results.flatMap((r) => findRule(r.ruleId)?.cwe ?? []))].sort();
    const taxa = ((log.runs[0].taxonomies?.[0]?.taxa ?? []) as Array<{ id: string }>).map((t) => t.id).sort();
    assert.deepEqual(taxa, expectedCwe);
    assert.match(log.runs[0].tool.driver.rules[0].helpUri, /^http:\/\/127\.0\.0\.1:7420\/api\/v1\/analysis\/rules\//);
  });

  it('exit codes: --fail-on none is 0, --fail-on warning counts warnings, a clean tree is 0', async () => {
    assert.equal((await runNyx(['analyze', tree.dir, '--offline', '--fail-on', 'none'])).code, 0);
    const warningsOnly = await makeTree({ 'a.js': SAMPLE_TREE['src/safe.js']! });
    try {
      assert.equal((await runNyx(['analyze', warningsOnly.dir, '--offline'])).code, 0, 'a warning does not fail the default --fail-on error');
      assert.equal((await runNyx(['analyze', warningsOnly.dir, '--offline', '--fail-on', 'warning'])).code, 1);
    } finally {
      await warningsOnly.remove();
    }
    const clean = await makeTree({ 'ok.js': 'export const add = (a, b) => a + b;\n' });
    try {
      const run = await runNyx(['analyze', clean.dir, '--offline']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /No findings\./);
    } finally {
      await clean.remove();
    }
  });

  it('text output groups by file with a code frame and no color when NO_COLOR is set', async () => {
    const run = await runNyx(['analyze', tree.dir, '--offline']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^src\/users\.js$/m);
    assert.match(run.stdout, /2:\d+ +error +SQL built/);
    assert.match(run.stdout, /> 2 \|   return db\.query/);
    assert.match(run.stdout, /\^{5,}/);
    assert.doesNotMatch(run.stdout, /\x1b\[/, 'no ANSI colors when not a terminal');
  });

  it('exit 2 with one clear line: unknown flag, bad value, bad URL, no token', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['analyze', tree.dir, '--offline', '--fromat', 'json'], /Unknown option '--fromat'/],
      [['analyze', tree.dir, '--offline', '--format', 'xml'], /--format must be one of text, json, sarif/],
      [['analyze', tree.dir, '--offline', '--fail-on', 'fatal'], /--fail-on must be one of/],
      [['analyze', tree.dir, '--server', 'not a url', '--token', 't', '--project', projectId], /--server "not a url" is not a URL/],
      [['analyze', tree.dir, '--server', nyx.url, '--project', projectId], /no token/],
      [['analyze', join(tree.dir, 'missing'), '--offline'], /is not a folder/],
      [['analyse'], /unknown command "analyse"/],
    ];
    for (const [args, message] of cases) {
      const run = await runNyx(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`);
    }
  });

  it('exit 2 when the server refuses the connection, with the URL in the message', async () => {
    const port = await closedPort();
    const run = await runNyx(['analyze', tree.dir, '--server', `http://127.0.0.1:${port}`, '--token', team.token, '--project', projectId]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`cannot reach the Nyx server at http://127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it('exit 2 with a revoked token, saying it was refused; env variables work like flags', async () => {
    const member = await createTestTenant(nyx, 'cli-revoked');
    const tokens = await api(nyx.url, 'GET', '/api/v1/tokens', { token: member.token });
    const revoked = await api(nyx.url, 'POST', `/api/v1/tokens/${tokens.body.items[0].id}/revoke`, { token: member.token });
    assert.equal(revoked.status, 200);
    const run = await runNyx(['analyze', tree.dir], { NYX_SERVER_URL: nyx.url, NYX_TOKEN: member.token, NYX_PROJECT: projectId });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /the server refused the token \(401: .*revoked/);
  });

  it('exit 2 for a project of another team (404), never its findings', async () => {
    const other = await createTestTenant(nyx, 'cli-other');
    const run = await runNyx(['analyze', tree.dir, '--server', nyx.url, '--token', other.token, '--project', projectId]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /not found .*404/);
  });

  it('--baseline (JSON or SARIF) reports only findings that are new by fingerprint', async () => {
    const work = await makeTree(SAMPLE_TREE);
    try {
      const jsonBaseline = join(work.dir, '..', `baseline-${process.pid}.json`);
      const sarifBaseline = join(work.dir, '..', `baseline-${process.pid}.sarif`);
      assert.equal((await runNyx(['analyze', work.dir, '--offline', '--format', 'json', '--output', jsonBaseline])).code, 1);
      assert.equal((await runNyx(['analyze', work.dir, '--offline', '--format', 'sarif', '--output', sarifBaseline])).code, 1);
      // Lines added above move every old finding; fingerprints ignore line numbers, so they stay known.
      await writeFile(join(work.dir, 'src/users.js'), `// header\n\n${SAMPLE_TREE['src/users.js']}`);
      await writeTree(work.dir, { 'src/run.js': 'export const run = (cmd) => eval(cmd);\n' });
      for (const baseline of [jsonBaseline, sarifBaseline]) {
        const run = await runNyx(['analyze', work.dir, '--offline', '--format', 'json', '--baseline', baseline]);
        assert.equal(run.code, 1, run.stderr);
        const report = JSON.parse(run.stdout) as JsonReport;
        assert.deepEqual(report.findings.map((f) => `${f.path} ${f.ruleId}`), ['src/run.js nyx/dangerous/dynamic-eval'], baseline);
      }
      const missing = await runNyx(['analyze', work.dir, '--offline', '--baseline', join(work.dir, 'nope.json')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--baseline .*nope\.json: no such file/);
    } finally {
      await work.remove();
    }
  });

  it('--new-since REF reports findings of files changed since REF that REF did not have', async () => {
    const work = await makeTree(SAMPLE_TREE);
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: work.dir });
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'base');
      await writeFile(join(work.dir, 'src/users.js'), `${SAMPLE_TREE['src/users.js']}export const run = (cmd) => eval(cmd);\n`);
      const run = await runNyx(['analyze', work.dir, '--offline', '--format', 'json', '--new-since', 'HEAD']);
      assert.equal(run.code, 1, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(report.findings.map((f) => `${f.path} ${f.ruleId}`), ['src/users.js nyx/dangerous/dynamic-eval']);
      const bad = await runNyx(['analyze', work.dir, '--offline', '--new-since', 'no-such-ref']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /git diff failed/);
    } finally {
      await work.remove();
    }
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
