import assert from 'node:assert/strict';
import { systemEm } from '#server/db/tenant-context.ts';
import { searchClauses } from '#server/modules/policies/search.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { call } from '../knowledge/helpers.ts';
import { LOGGING_V1, SECRETS } from './fixtures.ts';



describe('policies: hybrid clause search', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  let loggingId: string;
  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'policy-search');
    other = await createTestTenant(nyx, 'policy-search-other');
    loggingId = (await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: LOGGING_V1 })).document.id;
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: SECRETS });
  });

  it('ranks the clause that answers a question first, with document, version and clause number', async () => {
    const result = await call(nyx, team, 'GET', `/api/v1/policies/search?q=${encodeURIComponent('how long do we keep security logs?')}`, 200);
    assert.equal(result.ranking.mode, 'hybrid');
    const [top] = result.items;
    assert.equal(top.documentKey, 'logging-and-monitoring');
    assert.equal(top.number, '2');
    assert.equal(top.title, 'Retention');
    assert.equal(top.version, 1);
    assert.equal(top.documentId, loggingId);
    assert.ok(top.vectorRank !== null && top.textRank !== null, 'found by both rankings');
    const secrets = await call(nyx, team, 'GET', `/api/v1/policies/search?q=${encodeURIComponent('where do API keys and passwords live')}&limit=3`, 200);
    assert.equal(secrets.items[0].documentKey, 'secrets-and-keys');
    assert.equal(secrets.items[0].number, '1');
    assert.ok(secrets.items.length <= 3);
  });

  it('searches only the latest version, and only one document when asked', async () => {
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { key: 'logging-and-monitoring', format: 'markdown', content: LOGGING_V1.replace('90 days', '30 days') });
    const result = await call(nyx, team, 'GET', `/api/v1/policies/search?q=retention&limit=50`, 200);
    const retention = result.items.filter((hit: { title: string }) => hit.title === 'Retention');
    assert.equal(retention.length, 1, 'one Retention clause: the latest version\'s');
    assert.equal(retention[0].version, 2);
    const only = await call(nyx, team, 'GET', `/api/v1/policies/search?q=keys&limit=50&documentId=${loggingId}`, 200);
    assert.ok(only.items.length > 0 && only.items.every((hit: { documentId: string }) => hit.documentId === loggingId));
  });

  it('ranks by text alone while vectors are missing, and says so', async () => {
    const fresh = await createTestTenant(nyx, 'policy-search-pending');
    await call(nyx, fresh, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: SECRETS });
    await systemEm(nyx.database.orm).execute(`update policy_clauses set embedding = null, embed_retry_at = now() + interval '1 hour' where tenant_id = ?`, [fresh.tenantId]);
    const result = await call(nyx, fresh, 'GET', `/api/v1/policies/search?q=${encodeURIComponent('rotate keys when someone leaves')}`, 200);
    assert.deepEqual(result.ranking, { mode: 'text-only', reason: 'vectors_pending', pendingVectors: 2 });
    assert.equal(result.items[0].title, 'Rotation');
    assert.equal(result.items[0].vectorRank, null);
  });

  it('is callable as a service (the bench uses it) and never crosses tenants', async () => {
    const direct = await searchClauses(nyx.services, { tenantId: team.tenantId, userId: null }, 'secret store', { limit: 5 });
    assert.equal(direct.items[0]!.documentKey, 'secrets-and-keys');
    const theirs = await call(nyx, other, 'GET', `/api/v1/policies/search?q=secret`, 200);
    assert.deepEqual(theirs.items, []);
    const foreign = await call(nyx, other, 'GET', `/api/v1/policies/search?q=secret&documentId=${loggingId}`, 404);
    assert.equal(foreign.field, 'documentId');
    const bad = await call(nyx, team, 'GET', `/api/v1/policies/search?q=`, 400);
    assert.equal(bad.field, 'q');
  });
});
