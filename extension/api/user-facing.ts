import { NotConnectedError } from '../connection/connection.ts';
import { ServerProblemError, ServerUnreachableError } from './errors.ts';

/**
 * The server's messages are written for every API client, so some name the REST call that fixes
 * them ("configure one with PUT /api/v1/providers/<provider>"). In the editor the fix is a button;
 * these helpers drop the REST hint and say which button.
 */

/** A button on an error message and the command it runs. */
export interface ErrorFix {
  title: 'Sign In' | 'Configure Provider' | 'Retry' | 'Open Settings';
  command: string;
  args?: unknown[];
}

export const SIGN_IN: ErrorFix = { title: 'Sign In', command: 'nyx.signIn' };
export const CONFIGURE_PROVIDER: ErrorFix = { title: 'Configure Provider', command: 'nyx.configureProvider' };
export const RECONNECT: ErrorFix = { title: 'Retry', command: 'nyx.refresh' };

/** Problem codes whose fix is a provider's configuration (key, base URL, model). */
const PROVIDER_CODES = new Set([
  'provider_not_configured',
  'provider_key_invalid',
  'provider_key_unreadable',
  'provider_unreachable',
  'provider_test_failed',
  'model_not_found',
  'all_providers_failed',
]);

const REST_CALL = /(?:\b(?:GET|PUT|POST|PATCH|DELETE)\s+)?\/api\/v1\/\S*/;

/**
 * The message without the clauses that name a REST call: a parenthesis holding one goes, a
 * sentence whose tail names one is cut at the last ":", ";" or "," before it, and a sentence that
 * is nothing but the call goes entirely.
 */
export function withoutRestHints(message: string): string {
  let text = message.replace(/\s*\([^()]*\/api\/v1\/[^()]*\)/g, '');
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z"(])/);
  text = sentences
    .map((sentence) => {
      const match = REST_CALL.exec(sentence);
      if (!match) return sentence;
      const head = sentence.slice(0, match.index);
      const cut = Math.max(head.lastIndexOf(': '), head.lastIndexOf('; '), head.lastIndexOf(', '));
      return cut > 0 ? `${head.slice(0, cut).trimEnd()}.` : '';
    })
    .filter(Boolean)
    .join(' ');
  return text.replace(/\.\./g, '.').trim() || message.replace(REST_CALL, '').trim();
}

/** True when the message is about a missing, wrong or unreachable AI provider. */
export function needsProvider(message: string, code?: string): boolean {
  if (code && PROVIDER_CODES.has(code)) return true;
  return /no AI provider|AI provider is configured|API key is invalid|\/api\/v1\/providers\/|Configure AI Provider/i.test(message);
}

/** The buttons that fix `error`, most useful first. */
export function fixesFor(error: unknown): ErrorFix[] {
  if (NotConnectedError.is(error)) return /Not signed in/.test(error.message) ? [SIGN_IN] : [RECONNECT, SIGN_IN];
  if (ServerUnreachableError.is(error)) return [RECONNECT];
  if (ServerProblemError.is(error)) {
    if (error.isUnauthorized) return [SIGN_IN];
    if (error.status === 403) return [];
    if (needsProvider(error.message, error.problem.code)) return [CONFIGURE_PROVIDER];
    return [];
  }
  const message = error instanceof Error ? error.message : String(error);
  return needsProvider(message) ? [CONFIGURE_PROVIDER] : [];
}
