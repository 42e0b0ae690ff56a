import type { IncomingMessage } from 'node:http';
import { AppError, ValidationError } from '#server/errors.ts';

/**
 * Reads a JSON body with a hard size limit. Stops reading as soon as the limit is crossed, so an
 * oversized upload costs no more memory than the limit.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}`, 'body');
  }
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(413, 'payload_too_large', `The request body is larger than the limit of ${limitBytes} bytes.`, { field: 'body' });
}
