import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` defaults to stdout; tests pass a stream to read what was logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'nyx-server' },
    // Secrets never reach the log, whatever object a caller hands us.
    redact: {
      paths: [
        '*.authorization',
        '*.apiKey',
        '*.token',
        'req.headers.authorization',
        // provider keys: top level, one and two levels down, stored ciphertext, Anthropic's header
        'apiKey',
        '*.*.apiKey',
        'encryptedKey',
        '*.encryptedKey',
        '*.headers["x-api-key"]',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
