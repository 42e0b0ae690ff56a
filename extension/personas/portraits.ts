import type { Persona } from '#protocol/personas.ts';
import type { NyxClient } from '../api/client.ts';

/** Portraits larger than this are not inlined (the server caps uploads at 256 KiB anyway). */
const MAX_PORTRAIT_BYTES = 512 * 1024;

/**
 * A persona's portrait as a data: URI. The webview has no token and its CSP allows images only
 * from its own origin and data:, so the host fetches the image with the bearer token and inlines
 * it. `portrait.url` is the uploaded image when there is one, else the generated SVG.
 */
export async function fetchPortraitDataUri(client: NyxClient, persona: Pick<Persona, 'id' | 'portrait'>): Promise<string> {
  const url = new URL(persona.portrait.url || `/api/v1/personas/${persona.id}/portrait.svg`, client.serverUrl);
  const response = await fetch(url, { headers: client.authHeaders(), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`portrait of ${persona.id}: ${response.status}`);
  const mediaType = (response.headers.get('content-type') ?? persona.portrait.mediaType).split(';')[0]!.trim();
  if (!mediaType.startsWith('image/')) throw new Error(`portrait of ${persona.id} is ${mediaType}, not an image`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_PORTRAIT_BYTES) throw new Error(`portrait of ${persona.id} is too large (${bytes.length} bytes)`);
  return `data:${mediaType};base64,${bytes.toString('base64')}`;
}
