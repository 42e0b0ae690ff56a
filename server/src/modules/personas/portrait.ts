import { createHash } from 'node:crypto';
import { ValidationError } from '#server/errors.ts';
import { MAX_PORTRAIT_BYTES, type PortraitMediaType } from '#protocol/personas.ts';

/** Headers for serving any portrait: an SVG must never run script or load anything, even if opened directly. */
export const PORTRAIT_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, max-age=300',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!].map((p) => [...p][0]!) : [...(parts[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

/**
 * A portrait drawn from the name alone: SHA-256 of the name picks the hue and a mirrored 5x5
 * pattern (an identicon), with the initials on top. Same name, same bytes, on every server.
 */
export function generatePortraitSvg(name: string): string {
  const hash = createHash('sha256').update(name.trim().toLowerCase(), 'utf8').digest();
  const hue = ((hash[0]! << 8) | hash[1]!) % 360;
  const background = `hsl(${hue}, 55%, 88%)`;
  const foreground = `hsl(${hue}, 60%, 38%)`;
  const cells: string[] = [];
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if ((hash[2 + row * 3 + col]! & 1) === 0) continue;
      for (const x of new Set([col, 4 - col])) cells.push(`<rect x="${8 + x * 16}" y="${8 + row * 16}" width="16" height="16"/>`);
    }
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-label="${escapeXml(name)}">`,
    `<rect width="96" height="96" rx="12" fill="${background}"/>`,
    `<g fill="${foreground}" fill-opacity="0.35">${cells.join('')}</g>`,
    `<text x="48" y="60" text-anchor="middle" font-family="system-ui, sans-serif" font-size="32" font-weight="600" fill="${foreground}">${escapeXml(initialsOf(name))}</text>`,
    '</svg>',
  ].join('');
}

const SIGNATURES: Record<Exclude<PortraitMediaType, 'image/svg+xml'>, (bytes: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/**
 * SVG is a document, not just an image: script, event handlers, external references and
 * entities can all act when it is opened. Rather than rewrite it (sanitizers get this wrong),
 * an SVG holding any of them is refused with what was found.
 */
const ACTIVE_SVG_CONTENT: [RegExp, string][] = [
  [/<\s*script\b/i, '<script>'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute (on...=)'],
  [/javascript\s*:/i, 'a javascript: URL'],
  [/<\s*foreignObject\b/i, '<foreignObject>'],
  [/<!\s*(DOCTYPE|ENTITY)/i, 'a DOCTYPE or entity declaration'],
  [/<\s*(iframe|embed|object|audio|video|animate|set)\b/i, 'an embedded or animated element'],
  [/\bhref\s*=\s*["']\s*(?!#)/i, 'a link or reference to another document (only #fragment hrefs are allowed)'],
  [/url\(\s*["']?\s*(?!#)/i, 'a url(...) to another document'],
  [/<\?(?!xml\s)/i, 'a processing instruction'],
];

/** Checks an uploaded portrait: size, that the bytes are the declared type, and that an SVG is static. */
export function checkPortraitUpload(mediaType: PortraitMediaType, bytes: Buffer): void {
  if (bytes.length === 0) throw new ValidationError('dataBase64: the image is empty', 'dataBase64');
  if (bytes.length > MAX_PORTRAIT_BYTES) {
    throw new ValidationError(`dataBase64: the image is ${bytes.length} bytes; a portrait may have at most ${MAX_PORTRAIT_BYTES} bytes (256 KiB)`, 'dataBase64');
  }
  if (mediaType !== 'image/svg+xml') {
    if (!SIGNATURES[mediaType](bytes)) throw new ValidationError(`dataBase64: the bytes are not a ${mediaType} image (the file signature does not match)`, 'dataBase64');
    return;
  }
  const text = bytes.toString('utf8');
  if (!/<svg[\s>]/i.test(text) || text.includes('\uFFFD')) throw new ValidationError('dataBase64: not an SVG document (no <svg> element in UTF-8 text)', 'dataBase64');
  for (const [pattern, what] of ACTIVE_SVG_CONTENT) {
    if (pattern.test(text)) throw new ValidationError(`dataBase64: SVG portraits must be static images; this one contains ${what}, so it was refused`, 'dataBase64');
  }
}

/** Decodes base64 strictly: anything that does not round-trip is a 400, not a silently shorter image. */
export function decodeBase64(data: string): Buffer {
  const compact = data.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== compact.replace(/=+$/, '')) throw new ValidationError('dataBase64: not valid base64', 'dataBase64');
  return bytes;
}
