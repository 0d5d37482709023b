/**
 * The command-line admin's version commands (PRODUCT.md, Contracts): `version create` and
 * `version verify`. The CLI runs them on a stopped server's data, or asks the running server.
 */
import { z } from 'zod';
import { VERSION_LIMITS, type ChainReport } from '../../shared/versions.ts';
import type { VersionService } from './version-service.ts';

/** Input of `version create`. */
export const VersionCreateInput = z.object({ doc: z.string().min(1).max(64), name: z.string().trim().min(1).max(VERSION_LIMITS.name) });
/** Input of `version verify`. */
export const VersionVerifyInput = z.object({ doc: z.string().min(1).max(64) });

/** `version create`: capture the plan's current state as a named version. */
export async function adminCreateVersion(versions: VersionService, input: z.infer<typeof VersionCreateInput>): Promise<{ id: string }> {
  const version = await versions.captureVersion(input.doc, { name: input.name, milestoneId: null, capturedBy: { kind: 'system', source: 'admin' } });
  return { id: version.id };
}

/** `version verify`: check the plan's version chain as stored. */
export async function adminVerifyVersions(versions: VersionService, input: z.infer<typeof VersionVerifyInput>): Promise<Pick<ChainReport, 'ok' | 'versions' | 'problems'>> {
  const { ok, versions: count, problems } = await versions.verifyVersionChain(input.doc);
  return { ok, versions: count, problems };
}
