import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'nyx-server' },
    // Secrets never reach the log, whatever object a caller hands us.
    redact: { paths: ['*.authorization', '*.apiKey', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
