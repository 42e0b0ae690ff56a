// What the model must answer (validated with zod, repaired once): the rationale first, so it can
// be streamed while the rest of the answer is still arriving, then per file either search/replace
// edits or the whole new content. Search/replace instead of line/column ranges because models
// copy text reliably and count columns badly; a search text must match exactly once.
import { z } from 'zod';
import { MAX_AUTOFIX_FILES } from '#protocol/autofix.ts';

export const ModelFilePatch = z
  .object({
    path: z.string().min(1).describe('The file path exactly as given.'),
    edits: z
      .array(
        z.object({
          search: z.string().min(1).describe('Exact text copied from the file, whole lines, long enough to occur exactly once.'),
          replace: z.string().describe('The text that replaces it.'),
        }),
      )
      .min(1)
      .max(200)
      .optional(),
    newContent: z.string().optional().describe('The complete new file: only for rewrites too large for edits.'),
  })
  .refine((file) => (file.edits === undefined) !== (file.newContent === undefined), 'give either edits or newContent for each file, not both');

export const ModelPatchAnswer = z.object({
  rationale: z.string().min(1).max(20_000).describe('What you changed and why, in short Markdown. Written first.'),
  files: z.array(ModelFilePatch).max(MAX_AUTOFIX_FILES).describe('Only the files you change.'),
});
export type ModelPatchAnswer = z.infer<typeof ModelPatchAnswer>;

/** The format instruction for a streamed answer (chatStructured adds its own for the repair). */
export function answerFormatInstruction(): string {
  return (
    'Answer with one JSON object and nothing else (no prose around it, no code fences), with "rationale" as its first key. ' +
    `It must validate against this JSON Schema:\n${JSON.stringify(z.toJSONSchema(ModelPatchAnswer))}`
  );
}

/**
 * The value of a top-level string field of a JSON text that may still be arriving: the decoded
 * characters so far (escapes only once complete), and whether the string has ended.
 */
export function partialStringField(json: string, key: string): { value: string; complete: boolean } | null {
  const match = new RegExp(`"${key}"\\s*:\\s*"`).exec(json);
  if (!match) return null;
  const start = match.index + match[0].length;
  let at = start;
  let complete = false;
  while (at < json.length) {
    const char = json[at]!;
    if (char === '"') {
      complete = true;
      break;
    }
    if (char === '\\') {
      const width = json[at + 1] === 'u' ? 6 : 2;
      if (at + width > json.length) break;
      at += width;
      continue;
    }
    at++;
  }
  try {
    return { value: JSON.parse(`"${json.slice(start, at)}"`) as string, complete };
  } catch {
    return null;
  }
}
