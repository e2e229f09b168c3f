import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line: keys, secrets and signatures. */
const REDACT = [
  'secretAccessKey',
  '*.secretAccessKey',
  'privateKey',
  '*.privateKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'secret',
  '*.secret',
];

export interface LoggerOptions {
  level?: string;
  destination?: NodeJS.WritableStream;
}

/** Creates the service's root logger: JSON lines, secrets redacted. Components take child loggers. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['WARDEN_LOG_LEVEL'] ?? 'info';
  const settings = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: null };
  if (options.destination) return pino(settings, options.destination);
  return pino(settings);
}

/** A logger that drops everything, for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
