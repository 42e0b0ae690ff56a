import assert from 'node:assert/strict';
import { z } from 'zod';
import { StructuredOutputError } from '#server/modules/ai/engine/errors.ts';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import { startFakes, type Fakes } from './setup.ts';

const Finding = z.object({ title: z.string(), severity: z.enum(['low', 'high']) });
const ask = { messages: [{ role: 'user' as const, content: 'Report one finding.' }] };

describe('AI structured output', function () {
  let fakes: Fakes;
  beforeEach(async () => (fakes = await startFakes()));
  afterEach(() => fakes.close());

  it('returns the validated value and puts the JSON Schema in the system prompt', async () => {
    fakes.anthropic.plan({ json: { title: 'SQL injection', severity: 'high' } });
    const result = await chatStructured(fakes.router(), { ...ask, system: 'You review code.' }, Finding);
    assert.deepEqual(result.value, { title: 'SQL injection', severity: 'high' });
    assert.equal(result.repaired, false);
    const system: string = fakes.anthropic.requests[0]!.body.system;
    assert.match(system, /^You review code\./);
    assert.match(system, /"severity":\{"type":"string","enum":\["low","high"\]\}/);
  });

  it('accepts JSON wrapped in code fences', async () => {
    fakes.openai.plan({ text: '```json\n{"title":"t","severity":"low"}\n```' });
    const result = await chatStructured(fakes.router(), { ...ask, explicit: 'gpt-4.1-mini' }, Finding);
    assert.equal(result.value.severity, 'low');
    assert.deepEqual(fakes.openai.requests[0]!.body.response_format, { type: 'json_object' });
  });

  it('repairs once by sending the validation error back to the same model', async () => {
    fakes.anthropic.plan({ json: { title: 'XSS', severity: 'critical' } }, { json: { title: 'XSS', severity: 'high' } });
    const result = await chatStructured(fakes.router(), ask, Finding);
    assert.equal(result.repaired, true);
    assert.deepEqual(result.value, { title: 'XSS', severity: 'high' });
    const repair = fakes.anthropic.requests[1]!.body;
    assert.equal(repair.model, 'claude-sonnet-4-6');
    assert.equal(repair.messages.length, 3);
    assert.equal(repair.messages[1].role, 'assistant');
    assert.match(repair.messages[2].content, /not valid.*severity/s);
  });

  it('fails clearly when the repair is invalid too', async () => {
    fakes.anthropic.plan({ text: 'Sure! Here it is.' }, { text: '{"title": 1}' });
    await assert.rejects(chatStructured(fakes.router(), ask, Finding), (error: unknown) => {
      assert.ok(error instanceof StructuredOutputError);
      assert.match(error.message, /after one repair attempt.*title/s);
      assert.equal(error.lastOutput, '{"title": 1}');
      return true;
    });
    assert.match(fakes.anthropic.requests[1]!.body.messages[2].content, /not parseable JSON/);
    assert.equal(fakes.anthropic.requests.length, 2);
  });
});
