import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSecretKey, parseSecretKey, SecretBox, SecretBoxError } from '#server/modules/ai/engine/secret-box.ts';

describe('secret box (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh IV each time and a versioned format', () => {
    const a = box.encrypt('sk-ant-api03-secret', 'tenant-1/anthropic');
    const b = box.encrypt('sk-ant-api03-secret', 'tenant-1/anthropic');
    assert.match(a, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.notEqual(a, b);
    assert.ok(!a.includes('secret'));
    assert.equal(box.decrypt(a, 'tenant-1/anthropic'), 'sk-ant-api03-secret');
  });

  it('detects tampering, a wrong key and a wrong context', () => {
    const sealed = box.encrypt('key-material', 'tenant-1/openai');
    const [v, iv, tag, ct] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0]! ^= 1;
    assert.throws(() => box.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'), 'tenant-1/openai'), SecretBoxError);
    assert.throws(() => new SecretBox(randomBytes(32)).decrypt(sealed, 'tenant-1/openai'), /altered, or encrypted with another key/);
    assert.throws(() => box.decrypt(sealed, 'tenant-2/openai'), SecretBoxError);
    assert.throws(() => box.decrypt('v2.a.b.c'), /unsupported secret format/);
  });

  it('rejects keys that are not 32 bytes', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
    assert.throws(() => parseSecretKey('c2hvcnQ='), /32 bytes/);
    assert.equal(parseSecretKey('ab'.repeat(32)).length, 32);
  });

  describe('key file', () => {
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'nyx-secret-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('creates the key with mode 0600 and reads the same key back', async () => {
      const path = join(dir, 'nested', 'secret.key');
      const created = await loadOrCreateSecretKey(path);
      assert.equal(created.length, 32);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual(await loadOrCreateSecretKey(path), created);
      const sealed = new SecretBox(created).encrypt('persisted');
      assert.equal(new SecretBox(await loadOrCreateSecretKey(path)).decrypt(sealed), 'persisted');
    });

    it('tightens an existing key file that others can read, keeping its key', async () => {
      const path = join(dir, 'secret.key');
      const key = randomBytes(32).toString('base64');
      await writeFile(path, key, { mode: 0o644 });
      const loaded = await loadOrCreateSecretKey(path);
      assert.equal(loaded.toString('base64'), key);
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await readFile(path, 'utf8')).trim(), key);
    });
  });
});
