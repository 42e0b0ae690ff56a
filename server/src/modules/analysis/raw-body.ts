import type { IncomingMessage } from 'node:http';
import { blobTooLarge } from './blob-store.ts';

/** Reads an upload's bytes, stopping as soon as it crosses `limitBytes` (a 413 naming the blob). */
export async function readRawBody(req: IncomingMessage, limitBytes: number, what: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw blobTooLarge(what, declared, limitBytes, 'body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw blobTooLarge(what, size, limitBytes, 'body');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
