/** Records and errors of the versions feature (server side; the wire shapes are in shared/versions.ts). */
import { WorkspaceError } from '../workspace/workspace.ts';
import type { VersionSummary } from '../../shared/versions.ts';

/** A version as stored: its summary plus the whole Y.Doc state (`Y.encodeStateAsUpdate`), base64. */
export interface StoredVersion extends VersionSummary {
  state: string;
}

/** A refusal of the versions feature; routes answer it like any workspace error. */
export class VersionError extends WorkspaceError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
    this.name = 'VersionError';
  }
}

/** The clock of the versions feature: milliseconds since the epoch (tests pass their own). */
export type Clock = () => number;

/** How often the milestone schedule is checked, besides the timer set for the next due milestone. */
export const MILESTONE_CHECK_MS = 15_000;

/** Longest a timer waits (setTimeout's limit); later milestones are reached by the periodic check. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
