/** Server configuration from the environment (see README, Configuration). */
import path from 'node:path';
import { DEFAULT_LIMITS, type CollabLimits } from './collab/types.ts';
import { JOURNAL_RETIRE_MS } from './store/file-document-storage.ts';
import { existsSync } from 'node:fs';

/** Everything a server process is configured with. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Base URL printed in invite links; derived from HOST and PORT unless PUBLIC_URL is set. */
  publicUrl: string | null;
  /** Origins besides our own allowed to open websockets and call the API with cookies. */
  allowedOrigins: string[];
  /** Mark cookies Secure and send HSTS (set when served over HTTPS). */
  secureCookies: boolean;
  trustProxy: boolean;
  /** Invite redemptions per minute per client address. */
  redeemPerMinute: number;
  /** Built client to serve. */
  clientDir: string;
  limits: CollabLimits;
  /** Create the sample workspace when the data directory is empty. */
  seedSample: boolean;
  /** How long (ms) saved edits may wait in the shared journal before they are written to each plan's log. */
  journalCheckpointMs: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** Read the configuration from environment variables. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  // server/ in development, dist/server/ when compiled: the project root is the closest folder with package.json.
  const root = projectRoot(import.meta.dirname);
  return {
    port: int(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    publicUrl: env.PUBLIC_URL || null,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    secureCookies: env.SECURE_COOKIES === '1' || (env.PUBLIC_URL ?? '').startsWith('https:'),
    trustProxy: env.TRUST_PROXY === '1',
    redeemPerMinute: int(env.REDEEM_PER_MINUTE, 20, 'REDEEM_PER_MINUTE'),
    clientDir: path.resolve(env.CLIENT_DIR || path.join(root, 'dist', 'client')),
    seedSample: env.SEED_SAMPLE !== '0',
    journalCheckpointMs: int(env.JOURNAL_CHECKPOINT_MS, JOURNAL_RETIRE_MS, 'JOURNAL_CHECKPOINT_MS'),
    limits: {
      ...DEFAULT_LIMITS,
      maxMessageBytes: int(env.MAX_MESSAGE_BYTES, DEFAULT_LIMITS.maxMessageBytes, 'MAX_MESSAGE_BYTES'),
      messagesPerSecond: int(env.MESSAGES_PER_SECOND, DEFAULT_LIMITS.messagesPerSecond, 'MESSAGES_PER_SECOND'),
      messageBurst: int(env.MESSAGE_BURST, DEFAULT_LIMITS.messageBurst, 'MESSAGE_BURST'),
      maxOpenDocuments: int(env.MAX_OPEN_DOCUMENTS, DEFAULT_LIMITS.maxOpenDocuments, 'MAX_OPEN_DOCUMENTS'),
    },
  };
}
