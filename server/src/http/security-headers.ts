import type { NyxContext } from './context.ts';

/**
 * Headers on every response. The API serves JSON to programs, so a browser that lands on it
 * must not sniff a type, frame it, leak the URL as a referrer, or run anything it returns.
 * Handlers may tighten (an HTML page adds its own style-src); `finishSecurityHeaders` restores
 * what they must not loosen.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Set before the handler runs, so streams that send their headers early carry them too. */
export function setSecurityHeaders(ctx: NyxContext): void {
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'no-referrer');
  ctx.set('x-frame-options', 'DENY');
  ctx.set('content-security-policy', API_CSP);
  // Answers carry tenant data or tokens; no shared or browser cache may keep them.
  ctx.set('cache-control', 'no-store');
}

/**
 * After the handler: a page's own CSP keeps frame-ancestors 'none', and an authenticated answer
 * stays no-store even when a handler chose a cache lifetime (portraits did).
 */
export function finishSecurityHeaders(ctx: NyxContext): void {
  if (ctx.headerSent) return;
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('referrer-policy', 'no-referrer');
  ctx.set('x-frame-options', 'DENY');
  const csp = String(ctx.response.get('content-security-policy') || '');
  if (!csp) ctx.set('content-security-policy', API_CSP);
  else if (!/frame-ancestors/i.test(csp)) ctx.set('content-security-policy', `${csp}; frame-ancestors 'none'`);
  const cache = String(ctx.response.get('cache-control') || '');
  if (ctx.state.auth || ctx.get('authorization') || !cache) {
    if (!/\bno-store\b/i.test(cache)) ctx.set('cache-control', 'no-store');
  }
}
