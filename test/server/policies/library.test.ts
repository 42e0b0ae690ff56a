import assert from 'node:assert/strict';
import { systemEm } from '#server/db/tenant-context.ts';
import { MAX_POLICY_BYTES } from '#protocol/policies.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { call } from '../knowledge/helpers.ts';
import { LOGGING_V1 } from './fixtures.ts';
import { minimalPdf } from './pdf.ts';



const LOGGING_V2 = LOGGING_V1.replace('kept for 90 days', 'kept for 180 days');

async function countRows(nyx: TestNyx, tenantId: string): Promise<number[]> {
  const em = systemEm(nyx.database.orm);
  const counts = [];
  for (const table of ['policy_documents', 'policy_versions', 'policy_clauses']) {
    const [row] = await em.execute<{ n: number }[]>(`select count(*) as n from ${table} where tenant_id = ?`, [tenantId]);
    counts.push(Number(row!.n));
  }
  return counts;
}

describe('policies: library (upload, versions, clauses, delete, starter set)', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'policies');
    other = await createTestTenant(nyx, 'policies-other');
  });

  it('stores a Markdown policy as version 1 with its clauses embedded; the same upload again stores nothing', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: LOGGING_V1 });
    assert.equal(created.created, true);
    assert.equal(created.document.key, 'logging-and-monitoring');
    assert.equal(created.document.title, 'Logging and monitoring');
    assert.equal(created.version.version, 1);
    assert.equal(created.version.clauseCount, 3);
    const document = await call(nyx, team, 'GET', `/api/v1/policies/${created.document.id}`, 200);
    assert.deepEqual(document.clauses.map((c: { number: string }) => c.number), ['1', '2', '3']);
    assert.deepEqual(document.clauses[1].controls, ['GDPR Art. 5(1)(e)', 'ISO 27001:2022 A.8.15']);
    assert.deepEqual(document.clauses[2].cwes, ['CWE-532']);
    assert.ok(document.clauses.every((c: { vectorPending: boolean }) => !c.vectorPending), 'embedded while the upload waited (local embedder)');

    const again = await call(nyx, team, 'POST', '/api/v1/policies', 200, { format: 'markdown', content: LOGGING_V1 });
    assert.equal(again.created, false);
    assert.equal(again.version.id, created.version.id);
    assert.deepEqual(await countRows(nyx, team.tenantId), [1, 1, 3]);
  });

  it('a changed upload of the same key is version 2; version 1 stays readable with its own clauses', async () => {
    const v2 = await call(nyx, team, 'POST', '/api/v1/policies', 201, { key: 'logging-and-monitoring', format: 'markdown', content: LOGGING_V2 });
    assert.equal(v2.version.version, 2);
    const id = v2.document.id;
    const document = await call(nyx, team, 'GET', `/api/v1/policies/${id}`, 200);
    assert.equal(document.latestVersion, 2);
    assert.deepEqual(document.versions.map((v: { version: number }) => v.version), [2, 1]);
    assert.ok(document.clauses[1].text.includes('180 days'));
    const v1 = await call(nyx, team, 'GET', `/api/v1/policies/${id}/versions/1`, 200);
    assert.ok(v1.clauses[1].text.includes('90 days'), 'the old version keeps its text');
    assert.ok(v1.text.startsWith('# Logging and monitoring'));
    const clause = await call(nyx, team, 'GET', `/api/v1/policy-clauses/${v1.clauses[1].id}`, 200);
    assert.equal(clause.version, 1);
    assert.equal(clause.documentKey, 'logging-and-monitoring');
    const missing = await call(nyx, team, 'GET', `/api/v1/policies/${id}/versions/9`, 400);
    assert.equal(missing.field, 'version');
  });

  it('reads the text of a PDF and splits it at numbered lines', async () => {
    const pdf = minimalPdf(['Access control', '1 Least privilege', 'Accounts get the permissions their work needs and no more. ISO 27001:2022 A.5.15', '2 Reviews', 'Access rights are reviewed every quarter. ISO 27001:2022 A.5.18']);
    const created = await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'pdf', content: pdf.toString('base64') });
    assert.equal(created.document.title, 'Access control');
    assert.equal(created.version.format, 'pdf');
    const version = await call(nyx, team, 'GET', `/api/v1/policies/${created.document.id}/versions/1`, 200);
    assert.deepEqual(version.clauses.map((c: { number: string; title: string }) => `${c.number} ${c.title}`), ['1 Least privilege', '2 Reviews']);
    assert.deepEqual(version.clauses[0].controls, ['ISO 27001:2022 A.5.15']);
  });

  it('refuses unusable uploads with a 4xx naming the field, and stores nothing', async () => {
    const before = await countRows(nyx, team.tenantId);
    const cases: [number, unknown, RegExp][] = [
      [422, { format: 'pdf', content: minimalPdf([]).toString('base64') }, /no text layer/],
      [422, { format: 'pdf', content: Buffer.from('%PDF-1.4\nthis is not really a PDF').toString('base64') }, /could not be read/],
      [422, { format: 'pdf', content: Buffer.from('plain words').toString('base64') }, /not a PDF/],
      [422, { format: 'pdf', content: '***' }, /not base64/],
      [422, { format: 'markdown', content: 'Prose without a single heading.\nAnother line.' }, /no clauses/],
      [422, { format: 'text', content: '   \n  ' }, /empty/],
      [413, { format: 'markdown', content: `# Big\n## 1 A\n${'x'.repeat(MAX_POLICY_BYTES)}` }, /at most 2097152 bytes/],
      [400, { format: 'docx', content: 'x' }, /format/],
      [400, { format: 'markdown', content: '## 1 A\ntext', key: 'Not A Key' }, /key/],
      [400, { format: 'markdown', content: '## 1 A\ntext', extra: true }, /extra/],
    ];
    for (const [status, body, message] of cases) {
      const problem = await call(nyx, team, 'POST', '/api/v1/policies', status, body);
      assert.match(problem.detail ?? problem.message ?? JSON.stringify(problem), message, JSON.stringify(problem));
      if (status !== 413) assert.ok(problem.field, `names the field: ${JSON.stringify(problem)}`);
    }
    assert.deepEqual(await countRows(nyx, team.tenantId), before, 'nothing stored');
  });

  it('keeps tenants apart: another tenant\'s document, version and clause are 404s, and its list is empty', async () => {
    const [document] = (await call(nyx, team, 'GET', '/api/v1/policies', 200)).items;
    const detail = await call(nyx, team, 'GET', `/api/v1/policies/${document.id}`, 200);
    await call(nyx, other, 'GET', `/api/v1/policies/${document.id}`, 404);
    await call(nyx, other, 'GET', `/api/v1/policies/${document.id}/versions/1`, 404);
    await call(nyx, other, 'GET', `/api/v1/policy-clauses/${detail.clauses[0].id}`, 404);
    await call(nyx, other, 'DELETE', `/api/v1/policies/${document.id}`, 404);
    assert.deepEqual((await call(nyx, other, 'GET', '/api/v1/policies', 200)).items, []);
    // The same key in another tenant is another document.
    const theirs = await call(nyx, other, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: LOGGING_V1 });
    assert.equal(theirs.version.version, 1);
    assert.notEqual(theirs.document.id, document.id);
  });

  it('installs the starter set once; installing again changes nothing, and never replaces a team\'s own version', async () => {
    const fresh = await createTestTenant(nyx, 'starter');
    const first = await call(nyx, fresh, 'POST', '/api/v1/policies/starter', 200);
    assert.ok(first.items.length >= 1);
    assert.ok(first.items.every((item: { created: boolean; version: number }) => item.created && item.version === 1));
    const listed = (await call(nyx, fresh, 'GET', '/api/v1/policies', 200)).items;
    assert.ok(listed.every((d: { starter: boolean }) => d.starter));
    const second = await call(nyx, fresh, 'POST', '/api/v1/policies/starter', 200);
    assert.ok(second.items.every((item: { created: boolean }) => !item.created));
    const key = first.items[0].key;
    await call(nyx, fresh, 'POST', '/api/v1/policies', 201, { key, format: 'markdown', content: '# Ours\n## 1 Our rule\nWe wrote this. GDPR Art. 32' });
    const third = await call(nyx, fresh, 'POST', '/api/v1/policies/starter', 200);
    const mine = third.items.find((item: { key: string }) => item.key === key);
    assert.equal(mine.created, false);
    assert.equal(mine.version, 2, 'the team\'s version stays the latest');
  });

  it('deletes a document with every version and clause', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/policies', 201, { key: 'to-delete', format: 'markdown', content: '# Gone\n## 1 Rule\nText. GDPR Art. 32' });
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { key: 'to-delete', format: 'markdown', content: '# Gone\n## 1 Rule\nOther text. GDPR Art. 32' });
    const before = await countRows(nyx, team.tenantId);
    await call(nyx, team, 'DELETE', `/api/v1/policies/${created.document.id}`, 204);
    await call(nyx, team, 'GET', `/api/v1/policies/${created.document.id}`, 404);
    assert.deepEqual(await countRows(nyx, team.tenantId), [before[0]! - 1, before[1]! - 2, before[2]! - 2]);
  });
});
