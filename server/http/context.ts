/** What the HTTP routes share: configuration and the services they call. */
import type { CollabServer } from '../collab/collab-server.ts';
import type { Logger } from '../collab/types.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { Authenticator } from './auth.ts';
import type { Config } from '../config.ts';

/** Services and settings of a running server. */
export interface AppContext {
  config: Config;
  version: string;
  workspace: Workspace;
  collab: CollabServer;
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
