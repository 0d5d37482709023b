/**
 * How exports read captured versions: in the server through the versions feature's own
 * service; in the CLI straight from its per-plan files (`DATA_DIR/versions/<documentId>.json`,
 * written atomically), re-read on every export so a version captured a moment ago is found.
 * Reading never writes a version file, so the CLI can read beside a running server.
 */
import path from 'node:path';
import { VersionStore } from '../versions/version-store.ts';
import type { VersionService } from '../versions/version-service.ts';
import type { ExportSources, VersionState } from './export-service.ts';

/** A version reader over a data directory's version files. */
export function storedVersionReader(dataDir: string): ExportSources['readVersion'] {
  let store: VersionStore | null = null;
  return async (documentId: string, versionId: string): Promise<VersionState | null> => {
    store ??= new VersionStore(path.join(dataDir, 'versions'));
    const version = (await store.reload(documentId)).find((candidate) => candidate.id === versionId);
    return version ? { name: version.name, capturedAt: version.capturedAt, state: new Uint8Array(Buffer.from(version.state, 'base64')) } : null;
  };
}

/** A version reader over the running server's version service (the same records it lists). */
export function serviceVersionReader(versions: Pick<VersionService, 'find'>): ExportSources['readVersion'] {
  return async (documentId: string, versionId: string): Promise<VersionState | null> => {
    try {
      const version = await versions.find(documentId, versionId);
      return { name: version.name, capturedAt: version.capturedAt, state: new Uint8Array(Buffer.from(version.state, 'base64')) };
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  };
}
