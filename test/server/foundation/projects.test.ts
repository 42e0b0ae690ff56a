import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

describe('projects API', () => {
  let nyx: TestNyx;
  let owner: TestTenant;
  let mate: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'projects');
    mate = await createTeammate(nyx, owner.tenantId);
  });

  it('creates, reads, lists, updates and deletes a project', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/projects', {
      token: owner.token,
      body: { name: 'Nyx', description: 'the team service', github: { owner: 'nyx-dev', repo: 'nyx', branch: 'main' }, scanPath: 'server/', settings: { autoAnalyze: true } },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.github, { owner: 'nyx-dev', repo: 'nyx', branch: 'main' });
    assert.equal(created.body.scanPath, '/server');
    assert.equal(created.body.createdBy, owner.userId);

    const fetched = await api(nyx.url, 'GET', `/api/v1/projects/${created.body.id}`, { token: owner.token });
    assert.deepEqual(fetched.body, created.body);

    const updated = await api(nyx.url, 'PATCH', `/api/v1/projects/${created.body.id}`, { token: owner.token, body: { description: 'changed', github: null } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.description, 'changed');
    assert.equal(updated.body.github, null);
    assert.equal(updated.body.name, 'Nyx');

    const removed = await api(nyx.url, 'DELETE', `/api/v1/projects/${created.body.id}`, { token: owner.token });
    assert.equal(removed.status, 204);
    const gone = await api(nyx.url, 'GET', `/api/v1/projects/${created.body.id}`, { token: owner.token });
    assert.equal(gone.status, 404);
  });

  it('shows an empty scan path as "/" (the repository root)', async () => {
    for (const scanPath of [undefined, '', '/']) {
      const res = await api(nyx.url, 'POST', '/api/v1/projects', { token: owner.token, body: { name: 'root scan', ...(scanPath === undefined ? {} : { scanPath }) } });
      assert.equal(res.status, 201);
      assert.equal(res.body.scanPath, '/');
    }
  });

  it('lets teammates update and delete each other\'s projects, recording who did it', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/projects', { token: owner.token, body: { name: 'shared' } });
    const byMate = await api(nyx.url, 'PATCH', `/api/v1/projects/${created.body.id}`, { token: mate.token, body: { name: 'shared, renamed' } });
    assert.equal(byMate.status, 200);
    assert.equal(byMate.body.updatedBy, mate.userId);
    assert.equal(byMate.body.createdBy, owner.userId);

    const mates = await api(nyx.url, 'POST', '/api/v1/projects', { token: mate.token, body: { name: 'mate made' } });
    const deletedByOwner = await api(nyx.url, 'DELETE', `/api/v1/projects/${mates.body.id}`, { token: owner.token });
    assert.equal(deletedByOwner.status, 204);
    const deletedByMate = await api(nyx.url, 'DELETE', `/api/v1/projects/${created.body.id}`, { token: mate.token });
    assert.equal(deletedByMate.status, 204);
  });

  it('writes an audit event for each change, in the same transaction', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/projects', { token: owner.token, body: { name: 'audited' } });
    await api(nyx.url, 'PATCH', `/api/v1/projects/${created.body.id}`, { token: mate.token, body: { description: 'x' } });
    const em = nyx.database.orm.em.fork();
    const rows = await em.execute<{ action: string; actor_user_id: string }[]>(
      `select action, actor_user_id from audit_events where entity_id = ? order by created_at`,
      [created.body.id],
    );
    assert.deepEqual(rows.map((r) => [r.action, r.actor_user_id]), [
      ['project.create', owner.userId],
      ['project.update', mate.userId],
    ]);
  });

  it('serves an OpenAPI 3.1 document generated from the contracts', async () => {
    const res = await api(nyx.url, 'GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    const create = res.body.paths['/api/v1/projects'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.name);
    assert.deepEqual(create.security, [{ bearer: [] }]);
    assert.ok(res.body.paths['/api/v1/projects/{id}'].patch);
  });
});
