// Provider error text is written to ai_calls.error_message, to logs and into problem documents.
// Some providers (and proxies in front of them) echo the key they were sent in a 401 body, so
// every such text passes through here first: the configured key is cut out wherever it appears,
// and so is anything shaped like a common credential, in case the echo is of another key.

const REDACTED = '[redacted]';

/** Credential shapes worth hiding even when we do not know the exact value. */
const KEY_SHAPES: readonly RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-[A-Za-z0-9_-]{12,}/g, // OpenAI (sk-..., sk-proj-...)
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, // any bearer token echoed from a header
  /\bnyx_[A-Za-z0-9_-]{16,}/g, // our own API tokens
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
];

/** Shorter "keys" (e.g. the keyless placeholder) are not secrets and would redact ordinary words. */
const MIN_KNOWN_SECRET_LENGTH = 8;

export function scrubSecrets(text: string, knownSecrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= MIN_KNOWN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
