// The OpenID Connect client side, on openid-client (v6). One discovered Configuration per
// (issuer, client, secret), cached for a few minutes so a sign-in costs no discovery round trip.
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { AppError } from '#server/errors.ts';

const DISCOVERY_CACHE_MS = 5 * 60_000;
const IDP_TIMEOUT_SECONDS = 10;
/** oauth4webapi's code for a claim that is not the expected value (not re-exported by openid-client). */
const JWT_CLAIM_COMPARISON = 'OAUTH_JWT_CLAIM_COMPARISON_FAILED';

export interface IdpSettings {
  issuerUrl: string;
  clientId: string;
  /** null: a public client, authenticated by PKCE alone. */
  clientSecret: string | null;
}

/** The identity provider could not be reached or answered nonsense: 502, never our 500. */
export class IdpUnavailableError extends AppError {
  constructor(message: string) {
    super(502, 'idp_unavailable', message);
  }
}

const cache = new Map<string, { configuration: Promise<oidc.Configuration>; expiresAt: number }>();

/** Plain http is accepted for an issuer on loopback only (a test provider, a local Keycloak). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function issuerProblem(issuerUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not carry a user or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return 'must be https (http only on loopback)';
}

export async function idpConfiguration(settings: IdpSettings): Promise<oidc.Configuration> {
  const key = [settings.issuerUrl, settings.clientId, createHash('sha256').update(settings.clientSecret ?? '').digest('hex')].join('\n');
  const hit = cache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.configuration;
  const configuration = discover(settings);
  cache.set(key, { configuration, expiresAt: Date.now() + DISCOVERY_CACHE_MS });
  // A failed discovery is not remembered: the next sign-in tries again.
  configuration.catch(() => cache.delete(key));
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  return configuration;
}

async function discover(settings: IdpSettings): Promise<oidc.Configuration> {
  const issuer = new URL(settings.issuerUrl);
  const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
  try {
    return await oidc.discovery(
      issuer,
      settings.clientId,
      settings.clientSecret ?? undefined,
      settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
      { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: IDP_TIMEOUT_SECONDS },
    );
  } catch (error) {
    throw new IdpUnavailableError(`The identity provider at ${settings.issuerUrl} could not be discovered: ${describeIdpError(error)}`);
  }
}

/** Forgets cached configurations of an issuer (after its settings change). */
export function forgetIdp(issuerUrl: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${issuerUrl}\n`)) cache.delete(key);
}

/** A short, secret-free description of what openid-client or the IdP said. */
export function describeIdpError(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof oidc.AuthorizationResponseError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : '';
    return `${error.message}${detail}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}

/** True when openid-client refused the ID token because its nonce is not the one we sent. */
export function isNonceMismatch(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth++) {
    const cause = (current as { cause?: { claim?: unknown } }).cause;
    if ((current as { code?: unknown }).code === JWT_CLAIM_COMPARISON && cause?.claim === 'nonce') return true;
  }
  return false;
}

export { oidc };
