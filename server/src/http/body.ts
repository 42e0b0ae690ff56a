import type { IncomingMessage } from 'node:http';
import { AppError, ValidationError } from '#server/errors.ts';
import { findBadText, MAX_JSON_DEPTH } from './text-guard.ts';

/** An empty request body: distinct from a JSON `null`, which must not read as "no fields". */
export const EMPTY_BODY: unique symbol = Symbol('empty body');

/**
 * Reads a JSON body with a hard size limit. Stops reading as soon as the limit is crossed, so an
 * oversized upload costs no more memory than the limit. Refuses, before anything reaches a
 * service: other media types and charsets (415), bytes that are not UTF-8, nesting deeper than
 * MAX_JSON_DEPTH (checked on the text, so a 10,000-deep array never reaches the recursive
 * parser), and strings holding NUL or lone surrogates, which PostgreSQL rejects or rewrites.
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
  if (size === 0) return EMPTY_BODY;
  if (!isJsonUtf8(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the request body as JSON in UTF-8 with "Content-Type: application/json".', { field: 'content-type' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
  } catch {
    throw new ValidationError('The request body is not valid UTF-8.', 'body');
  }
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new ValidationError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, 'body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}`, 'body');
  }
  const bad = findBadText(value, 'body');
  if (bad) throw new ValidationError(`${bad.field}: ${bad.message}`, bad.field);
  return value;
}

/**
 * Only `application/json`, with no parameter or `charset=utf-8`. Structured-syntax suffixes
 * (`application/evil+json`) and other charsets are refused rather than guessed at.
 */
export function isJsonUtf8(contentType: string): boolean {
  const [essence, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (essence !== 'application/json') return false;
  return parameters.every((parameter) => parameter === '' || /^charset="?utf-8"?$/.test(parameter));
}

/**
 * The deepest nesting of arrays and objects in a JSON text, by one linear scan that skips string
 * contents. It stops counting once past the limit, so its cost is the text's length.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_JSON_DEPTH) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(413, 'payload_too_large', `The request body is larger than the limit of ${limitBytes} bytes.`, { field: 'body' });
}
