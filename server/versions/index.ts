/** Assemble the versions feature (milestone book, version store and service, schedule) over a data directory. */
import path from 'node:path';
import type { Logger } from '../collab/types.ts';
import type { MetaStore } from '../store/meta-store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { MilestoneBook } from './milestones.ts';
import type { PlanSource } from './plan-source.ts';
import { MilestoneScheduler } from './scheduler.ts';
import type { Clock } from './types.ts';
import { VersionService } from './version-service.ts';
import { VersionStore } from './version-store.ts';

/** The versions feature of one data directory. */
export interface Versioning {
  milestones: MilestoneBook;
  versions: VersionService;
  scheduler: MilestoneScheduler;
}

/** Directory of the per-plan version files inside DATA_DIR. */
export const VERSIONS_DIR = 'versions';

/** Build the feature; the scheduler is created stopped (the server starts it, the CLI never does). */
export function createVersioning(input: {
  dataDir: string;
  meta: MetaStore;
  workspace: Workspace;
  source: PlanSource;
  logger: Logger;
  now?: Clock;
  checkEveryMs?: number;
}): Versioning {
  const now = input.now ?? Date.now;
  const documentExists = (documentId: string): boolean => input.workspace.document(documentId) !== undefined;
  const milestones = new MilestoneBook(input.meta, now);
  const versions = new VersionService({
    store: new VersionStore(path.join(input.dataDir, VERSIONS_DIR)),
    milestones,
    source: input.source,
    documentExists,
    authorOfClient: (documentId, client) => input.workspace.authorOfClient(documentId, client),
    recordClientAuthor: (documentId, client, userId) => input.workspace.recordClientAuthors(documentId, [client], userId),
    logger: input.logger,
    now,
  });
  const scheduler = new MilestoneScheduler({ versions, milestones, documentExists, logger: input.logger, now, checkEveryMs: input.checkEveryMs });
  return { milestones, versions, scheduler };
}
