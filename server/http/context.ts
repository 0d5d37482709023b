/** What the HTTP routes share: configuration and the services they call. */
import type { CollabServer } from '../collab/collab-server.ts';
import type { Logger } from '../collab/types.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { MilestoneBook } from '../versions/milestones.ts';
import type { VersionService } from '../versions/version-service.ts';
import type { ExportService } from '../export/export-service.ts';
import type { Authenticator } from './auth.ts';
import type { Config } from '../config.ts';

/** Services and settings of a running server. */
export interface AppContext {
  config: Config;
  version: string;
  workspace: Workspace;
  collab: CollabServer;
  /** Named versions, comparisons and restores (server/versions/). */
  versions: VersionService;
  /** Milestones of each plan's cooperation calendar. */
  milestones: MilestoneBook;
  /** Exports and imports of plans, run in worker threads (server/export/, server/import/). */
  exports: ExportService;
  auth: Authenticator;
  logger: Logger;
  /** Secret the local CLI presents to reach /api/admin of a running server. */
  adminToken: string;
  /** Recent CSP violation reports (also logged), for tests and diagnostics. */
  cspReports: unknown[];
  /** The public base URL (known once listening). */
  publicUrl(): string;
  /** Re-apply access rules to open connections after a role, invite or session change. */
  accessChanged(): void;
}
