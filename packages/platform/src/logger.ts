import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs (pino). Secrets never reach a log line: auth headers, passwords and tokens are
 * redacted wherever they appear in a logged object.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers["x-commerce-context"]',
        'headers.authorization',
        '*.password',
        '*.passwordHash',
        '*.accessToken',
        '*.paymentToken',
        'password',
        'token',
      ],
      censor: '[redacted]',
    },
  });
}
