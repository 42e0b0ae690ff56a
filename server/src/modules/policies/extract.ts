// From an upload to text: UTF-8 for Markdown and plain text, unpdf (PDF.js) for PDFs. Every way
// an upload can be unusable ends here as a 4xx naming the field, before anything is stored.
import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '#server/errors.ts';
import { MAX_POLICY_BYTES, type PolicyFormat } from '#protocol/policies.ts';

export interface ExtractedPolicy {
  text: string;
  bytes: number;
  sha256: string;
}

export class UnprocessablePolicyError extends AppError {
  constructor(message: string, field = 'content') {
    super(422, 'unprocessable_policy', message, { field });
  }
}

function tooLarge(bytes: number): AppError {
  return new AppError(413, 'payload_too_large', `content: the document is ${bytes} bytes; a policy may have at most ${MAX_POLICY_BYTES} bytes (2 MiB)`, { field: 'content' });
}

function decodeBase64(content: string): Buffer {
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) throw new UnprocessablePolicyError('content: a PDF is sent base64-encoded, and this is not base64');
  return Buffer.from(compact, 'base64');
}

async function pdfText(bytes: Buffer): Promise<string> {
  if (!bytes.subarray(0, 1024).includes('%PDF-')) throw new UnprocessablePolicyError('content: this is not a PDF (no "%PDF-" header)');
  let pages: string[];
  try {
    const document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    pages = (await extractText(document, { mergePages: false })).text;
    await document.loadingTask.destroy();
  } catch (error) {
    throw new UnprocessablePolicyError(`content: the PDF could not be read (${(error as Error).message}); export it again or upload its text`);
  }
  const text = pages.join('\n');
  if (!text.trim()) throw new UnprocessablePolicyError('content: the PDF has no text layer (a scan?); Nyx reads the text of a PDF, it does not recognise characters in images');
  return text;
}

/** The uploaded document's text, its size and hash; throws a 413 or 422 for an unusable upload. */
export async function extractPolicy(format: PolicyFormat, content: string): Promise<ExtractedPolicy> {
  const raw = format === 'pdf' ? decodeBase64(content) : Buffer.from(content, 'utf8');
  if (raw.length > MAX_POLICY_BYTES) throw tooLarge(raw.length);
  const text = format === 'pdf' ? await pdfText(raw) : content;
  if (!text.trim()) throw new UnprocessablePolicyError('content: the document is empty');
  // PostgreSQL text cannot hold NUL; PDF text layers sometimes carry them.
  return { text: text.replace(/\u0000/g, ''), bytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') };
}
