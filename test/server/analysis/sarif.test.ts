// The SARIF builder as a pure function (what a CLI would call): hand-built rules carrying CWE,
// OWASP and examples, a data-flow finding and a plain one with a fix, validated against the
// official SARIF 2.1.0 schema. The HTTP export is tested in analysis-api/flow-and-sarif.test.ts.
import assert from 'node:assert/strict';
import type { RuleInfo } from '#protocol/findings.ts';
import { buildSarif, FINGERPRINT_KEY, relativeUri, type SarifFinding } from '#server/modules/analysis/sarif.ts';
import { sarifSchemaErrors } from '../helpers/sarif-schema.ts';

const SQL: RuleInfo = {
  id: 'nyx/taint/sql-injection',
  title: 'SQL built from untrusted input',
  severity: 'error',
  languages: ['javascript'],
  fixable: false,
  docs: 'Untrusted input reaches a SQL query.\n\nUse placeholders.',
  cwe: ['CWE-89'],
  owasp: ['A03:2021 Injection'],
  examples: { language: 'javascript', vulnerable: 'db.query("SELECT * FROM t WHERE id=" + req.query.id)', fixed: 'db.query("SELECT * FROM t WHERE id=$1", [req.query.id])' },
  references: ['https://cwe.mitre.org/data/definitions/89.html'],
};
const XSS: RuleInfo = { ...SQL, id: 'nyx/taint/xss', title: 'XSS', severity: 'warning', cwe: ['CWE-79', 'CWE-80'], owasp: ['A03:2021 Injection'] };
const TLS: RuleInfo = { id: 'nyx/dangerous/tls-verification-disabled', title: 'TLS off', severity: 'error', languages: ['python'], fixable: true, docs: 'Verification off.' };
const TODO: RuleInfo = { id: 'nyx/maintainability/todo-comment', title: 'TODO', severity: 'info', languages: ['python'], fixable: false, docs: 'Unfinished.' };
const catalog = new Map([SQL, XSS, TLS, TODO].map((rule) => [rule.id, rule]));

const range = (line: number, start: number, end: number) => ({ startLine: line, startColumn: start, endLine: line, endColumn: end });
const flowFinding: SarifFinding = {
  ruleId: SQL.id,
  severity: 'error',
  message: 'Request parameter `id` reaches db.query',
  path: 'src/routes/user profile.js',
  range: range(3, 3, 47),
  fingerprint: 'a'.repeat(32),
  flow: [
    { kind: 'source', path: 'src/routes/user profile.js', range: range(2, 13, 25), message: 'request parameter `id` read' },
    { kind: 'step', path: 'src/routes/user profile.js', range: range(3, 12, 46), message: 'concatenated into the query' },
    { kind: 'sink', path: 'src/routes/user profile.js', range: range(3, 3, 47), message: 'executed by db.query' },
  ],
};
const fixFinding: SarifFinding = {
  ruleId: TLS.id,
  severity: 'error',
  message: 'verify=False',
  path: 'src/fetch.py',
  range: range(5, 33, 45),
  fingerprint: 'b'.repeat(32),
  fix: { description: 'Turn verification back on', edits: [{ range: range(5, 40, 45), newText: 'True' }] },
};
const plain = (ruleId: string, line: number, fingerprint: string): SarifFinding => ({ ruleId, severity: catalog.get(ruleId)?.severity ?? 'warning', message: 'm', path: 'src/a.py', range: range(line, 1, 5), fingerprint });

function build(findings: SarifFinding[]) {
  return buildSarif({ findings, ruleOf: (id) => catalog.get(id), helpUriOf: (id) => `https://nyx.example/api/v1/analysis/rules/${encodeURIComponent(id)}`, toolVersion: 'nyx-analyzers/9.9.9' });
}

describe('SARIF builder', () => {
  it('produces a log the official SARIF 2.1.0 schema accepts, for flow, fix, plain and unknown-rule findings', () => {
    const log = build([flowFinding, fixFinding, plain(TODO.id, 9, 'c'.repeat(32)), plain('nyx/retired/old-rule', 2, 'd'.repeat(32))]);
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.equal(log.version, '2.1.0');
    // The check is real: a broken log is refused.
    const broken = structuredClone(log);
    (broken.runs[0]!.results![0]! as { level: string }).level = 'fatal';
    assert.ok(sarifSchemaErrors(broken).some((line) => line.includes('/level')), 'the validator accepted an invalid level');
  });

  it('describes each used rule once: name, descriptions, markdown help with examples, helpUri, tags with security and CWE, level', () => {
    const log = build([flowFinding, fixFinding, plain(TODO.id, 9, 'c'.repeat(32))]);
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'Nyx');
    assert.equal(driver.version, 'nyx-analyzers/9.9.9');
    assert.deepEqual(driver.rules!.map((rule) => rule.id), [TLS.id, TODO.id, SQL.id]);
    const sql = driver.rules!.find((rule) => rule.id === SQL.id)!;
    assert.equal(sql.name, 'SqlInjection');
    assert.equal(sql.shortDescription!.text, SQL.title);
    assert.equal(sql.fullDescription!.text, 'Untrusted input reaches a SQL query.');
    assert.equal(sql.helpUri, 'https://nyx.example/api/v1/analysis/rules/nyx%2Ftaint%2Fsql-injection');
    assert.match(sql.help!.markdown!, /\*\*Vulnerable:\*\*\n\n```javascript\ndb\.query\("SELECT \* FROM t WHERE id=" \+ req\.query\.id\)\n```/);
    assert.match(sql.help!.markdown!, /\[CWE-89\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/89\.html\)/);
    assert.deepEqual(sql.defaultConfiguration, { level: 'error' });
    assert.deepEqual(sql.properties!.tags, ['security', 'taint', 'external/cwe/cwe-089', 'external/owasp/A03:2021 Injection']);
    assert.equal(sql.properties!['security-severity'], '8.0');
    const todo = driver.rules!.find((rule) => rule.id === TODO.id)!;
    assert.deepEqual(todo.properties!.tags, ['maintainability'], 'a maintainability rule is not tagged security');
    assert.equal(todo.properties!['security-severity'], undefined);
    assert.deepEqual(todo.defaultConfiguration, { level: 'note' });
    assert.equal(driver.rules!.find((rule) => rule.id === TLS.id)!.properties!.tags![0], 'security', 'dangerous/ rules are security rules');
  });

  it('lists the CWEs used in a CWE taxonomy and relates each rule to its taxa by index', () => {
    const log = build([flowFinding, { ...flowFinding, ruleId: XSS.id, fingerprint: 'e'.repeat(32) }, fixFinding]);
    const run = log.runs[0]!;
    assert.equal(run.taxonomies?.length, 1);
    const cwe = run.taxonomies![0]!;
    assert.equal(cwe.name, 'CWE');
    assert.deepEqual(cwe.taxa!.map((taxon) => taxon.id), ['CWE-79', 'CWE-80', 'CWE-89'], 'numeric order, each once');
    assert.equal(cwe.taxa![2]!.helpUri, 'https://cwe.mitre.org/data/definitions/89.html');
    assert.deepEqual(run.tool.driver.supportedTaxonomies, [{ name: 'CWE', index: 0 }]);
    const xss = run.tool.driver.rules!.find((rule) => rule.id === XSS.id)!;
    assert.deepEqual(xss.relationships!.map((relation) => [relation.target.id, relation.target.index, relation.target.toolComponent!.index, relation.kinds]), [
      ['CWE-79', 0, 0, ['superset']],
      ['CWE-80', 1, 0, ['superset']],
    ]);
    assert.equal(build([fixFinding]).runs[0]!.taxonomies, undefined, 'no CWE used, no taxonomy');
  });

  it('maps results: ruleIndex, level, message, relative URI location with the exact region, our fingerprint', () => {
    const log = build([flowFinding, fixFinding, plain(TODO.id, 9, 'c'.repeat(32))]);
    const rules = log.runs[0]!.tool.driver.rules!;
    const results = log.runs[0]!.results!;
    for (const result of results) assert.equal(rules[result.ruleIndex!]!.id, result.ruleId);
    const [flow, fix, todo] = results;
    assert.equal(flow!.level, 'error');
    assert.equal(todo!.level, 'note');
    assert.equal(flow!.message.text, flowFinding.message);
    assert.deepEqual(flow!.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'src/routes/user%20profile.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 47 },
    });
    assert.deepEqual(flow!.partialFingerprints, { [FINGERPRINT_KEY]: 'a'.repeat(32) });
    assert.deepEqual(fix!.fixes, [{
      description: { text: 'Turn verification back on' },
      artifactChanges: [{ artifactLocation: { uri: 'src/fetch.py', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: range(5, 40, 45), insertedContent: { text: 'True' } }] }],
    }]);
    assert.equal(todo!.codeFlows, undefined, 'no flow, no codeFlows');
  });

  it('writes a flow as one thread flow, source first and sink last, each step with its location and message', () => {
    const [result] = build([flowFinding]).runs[0]!.results!;
    assert.equal(result!.codeFlows?.length, 1);
    const locations = result!.codeFlows![0]!.threadFlows[0]!.locations;
    assert.deepEqual(
      locations.map((step) => [step.executionOrder, step.kinds, step.location!.physicalLocation!.region!.startLine, step.location!.physicalLocation!.region!.startColumn, step.location!.message!.text]),
      [
        [1, ['taint', 'source'], 2, 13, 'request parameter `id` read'],
        [2, ['taint'], 3, 12, 'concatenated into the query'],
        [3, ['taint', 'sink'], 3, 3, 'executed by db.query'],
      ],
    );
  });

  it('percent-encodes each path segment and keeps the slashes', () => {
    assert.equal(relativeUri('a b/c#d/%e/ü.js'), 'a%20b/c%23d/%25e/%C3%BC.js');
  });
});
