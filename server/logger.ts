/** Structured logs: one JSON line per event on stdout, never with secrets in them. */
import type { Logger } from './collab/types.ts';

const SECRET_KEYS = /token|secret|cookie|password/i;

/** A logger writing JSON lines; `quiet` drops info-level events (tests, benchmarks). */
export function createLogger(options: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const emit = (level: string, event: string, fields: Record<string, unknown> = {}): void => {
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) clean[key] = SECRET_KEYS.test(key) ? '[redacted]' : value;
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...clean }));
  };
  return {
    info: (event, fields) => {
      if (!options.quiet) emit('info', event, fields);
    },
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
