/**
 * The integrity chain of a plan's versions. Each version's contentHash is a SHA-256 over a
 * canonical serialisation of its content fields and its state; each prevHash repeats the
 * previous version's contentHash. Changing any stored byte of a version breaks its own hash;
 * removing, inserting or reordering versions breaks the next version's prevHash.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { ChainProblem, ChainReport } from '../../shared/versions.ts';
import type { StoredVersion } from './types.ts';

/** Tag that starts every hashed serialisation, so a later format can never collide with this one. */
const HASH_FORMAT = 'minga-version/1';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The SHA-256 (hex) of a version's content: every field but contentHash itself. */
export function versionContentHash(version: Omit<StoredVersion, 'contentHash'>): string {
  const content = {
    format: HASH_FORMAT,
    id: version.id,
    documentId: version.documentId,
    name: version.name,
    milestoneId: version.milestoneId,
    capturedBy: version.capturedBy,
    capturedAt: version.capturedAt,
    size: version.size,
    prevHash: version.prevHash,
    restoredFrom: version.restoredFrom,
    state: version.state,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Whether bytes are a Yjs update that a document can apply. */
function readableState(state: Uint8Array): boolean {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return true;
  } catch {
    return false;
  } finally {
    doc.destroy();
  }
}

/**
 * Recompute every hash of a chain (oldest first) and check every link. `checkStates` also
 * decodes each state (slower; done by the full verification, not on every listing).
 */
export function verifyVersionChain(versions: readonly StoredVersion[], options: { checkStates?: boolean; damage?: string | null } = {}): ChainReport {
  const problems: ChainProblem[] = [];
  if (options.damage) problems.push({ versionId: '', index: -1, problem: 'malformed', message: `The versions file is damaged: ${options.damage}.` });
  const checked: ChainReport['checked'] = [];
  let previous: string | null = null;
  versions.forEach((version, index) => {
    const found: ChainProblem[] = [];
    const add = (problem: ChainProblem['problem'], message: string): void => {
      found.push({ versionId: typeof version?.id === 'string' ? version.id : '', index, problem, message });
    };
    if (!version || typeof version !== 'object' || typeof version.state !== 'string' || typeof version.contentHash !== 'string') {
      add('malformed', 'This record is not a version.');
    } else {
      const { contentHash, ...content } = version;
      if (versionContentHash(content) !== contentHash) add('content_hash_mismatch', 'The stored content does not match its SHA-256: the version was changed after it was captured.');
      if (version.prevHash !== previous) add('prev_hash_mismatch', 'The link to the previous version is broken: a version was removed, inserted or reordered.');
      const bytes = Buffer.from(version.state, 'base64');
      if (bytes.length !== version.size) add('size_mismatch', `The state holds ${bytes.length} bytes, the record says ${version.size}.`);
      else if (options.checkStates && !readableState(bytes)) add('state_unreadable', 'The captured state is not a readable Yjs document.');
    }
    problems.push(...found);
    checked.push({ id: typeof version?.id === 'string' ? version.id : '', ok: found.length === 0 });
    previous = typeof version?.contentHash === 'string' ? version.contentHash : null;
  });
  return { ok: problems.length === 0, versions: versions.length, problems, checked };
}
