// Structured output: ask for JSON matching a zod schema, validate, and on failure send the
// validation error back once for a repair. Works on every provider: the schema travels in the
// prompt (as JSON Schema), and OpenAI-style endpoints also get their json_object switch.
import { z } from 'zod';
import { StructuredOutputError } from './errors.ts';
import type { AiRouter, RoutedCompletion, RouteRequest } from './router.ts';

export interface StructuredResult<T> {
  value: T;
  /** The answer that produced `value` (after the repair, when one was needed). */
  answer: RoutedCompletion;
  repaired: boolean;
}

export async function chatStructured<T>(
  router: AiRouter,
  request: RouteRequest,
  schema: z.ZodType<T>,
): Promise<StructuredResult<T>> {
  const system = [request.system, jsonInstruction(schema)].filter(Boolean).join('\n\n');
  const first = await router.chat({ ...request, system, json: true });
  const firstCheck = validate(first.text, schema);
  if (firstCheck.ok) return { value: firstCheck.value, answer: first, repaired: false };

  // The repair goes to the model that answered, so the conversation it sees is its own.
  const repair = await router.chat({
    ...request,
    explicit: first.model,
    system,
    json: true,
    messages: [
      ...request.messages,
      { role: 'assistant', content: first.text },
      {
        role: 'user',
        content:
          `Your reply was not valid: ${firstCheck.error}\n` +
          'Reply again with only the corrected JSON object, no prose and no code fences.',
      },
    ],
  });
  const secondCheck = validate(repair.text, schema);
  if (secondCheck.ok) return { value: secondCheck.value, answer: repair, repaired: true };
  throw new StructuredOutputError(
    `The model (${repair.provider}/${repair.model}) did not produce valid JSON after one repair attempt: ${secondCheck.error}`,
    repair.text,
  );
}

function jsonInstruction(schema: z.ZodType): string {
  const jsonSchema = JSON.stringify(z.toJSONSchema(schema));
  return (
    'Answer with a single JSON value only: no prose before or after it, no code fences. ' +
    `It must validate against this JSON Schema:\n${jsonSchema}`
  );
}

type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

export function validate<T>(text: string, schema: z.ZodType<T>): Validation<T> {
  let data: unknown;
  try {
    data = JSON.parse(stripFences(text));
  } catch (error) {
    return { ok: false, error: `it is not parseable JSON (${(error as Error).message}).` };
  }
  const result = schema.safeParse(data);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: `the JSON does not match the schema:\n${z.prettifyError(result.error)}` };
}

/** Models often wrap JSON in ```json fences despite being told not to; that is harmless. */
function stripFences(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return (fenced ? fenced[1]! : text).trim();
}
