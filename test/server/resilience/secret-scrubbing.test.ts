// Issue #14: a provider that echoes the key in its 401 body must not put the key into
// ai_calls.error_message, the log or a response.
import assert from 'node:assert/strict';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { scrubSecrets } from '#server/modules/ai/engine/scrub.ts';
import { startTestNyx, type TestNyx } from '../helpers/nyx.ts';
import { aiCalls, startProviderFakes, tenantWithProviders, type ProviderFakes } from '../ai-api/helpers.ts';

describe('resilience: provider errors are scrubbed of key material', () => {
  const lines: string[] = [];
  let nyx: TestNyx;
  let fakes: ProviderFakes;

  before(async function () {
    this.timeout(300_000); // a fresh instance migrates a new database; slow on a loaded machine
    fakes = await startProviderFakes();
    nyx = await startTestNyx({ logLevel: 'trace' }, { logLines: lines });
  });
  after(async () => {
    await nyx?.close();
    await fakes?.close();
  });

  it('cuts out the configured key and common key shapes', () => {
    const key = 'zz-custom-secret-value-1234';
    const text = `bad key ${key}; also sk-proj-abcdefghijklmnop, sk-ant-api03-abcdefgh, AIzaSyA1234567890abcdefghij, Authorization: Bearer abc.def.ghi123`;
    const clean = scrubSecrets(text, [key]);
    for (const secret of [key, 'sk-proj-abcdefghijklmnop', 'sk-ant-api03-abcdefgh', 'AIzaSyA1234567890abcdefghij', 'abc.def.ghi123']) {
      assert.ok(!clean.includes(secret), `${secret} survived: ${clean}`);
    }
    assert.match(clean, /^bad key \[redacted\]/, 'the rest of the text stays readable');
    assert.equal(scrubSecrets('model gpt-4o not found'), 'model gpt-4o not found', 'ordinary text is untouched');
  });

  it('stores and logs a 401 that echoes the key without the key (OpenAI embeddings and Anthropic chat)', async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'scrub');
    fakes.openai.plan({ status: 401, message: `Incorrect API key provided: ${tenant.openaiKey}. Header was Bearer ${tenant.openaiKey}` });
    fakes.anthropic.plan({ status: 401, message: `invalid x-api-key ${tenant.anthropicKey}` });
    const gateway = await createModelGateway(nyx.services, { tenantId: tenant.tenantId, userId: tenant.userId });
    await assert.rejects(gateway.embeddings.embed(['hello']));
    await assert.rejects(gateway.router.chat({ messages: [{ role: 'user', content: 'hi' }] }));

    const calls = await aiCalls(nyx, tenant.tenantId);
    const failed = calls.filter((c) => c.error_message);
    assert.ok(failed.length >= 2, `both failures are recorded: ${JSON.stringify(calls)}`);
    assert.ok(failed.some((c) => /Incorrect API key provided: \[redacted\]/.test(c.error_message!)), 'the error text is kept, the key is not');
    const log = lines.join('');
    for (const secret of [tenant.openaiKey, tenant.anthropicKey]) {
      for (const call of calls) assert.ok(!call.error_message?.includes(secret), `a key reached ai_calls: ${call.error_message}`);
      assert.ok(!log.includes(secret), 'a key reached the log');
    }
  });
});
