/**
 * Assemble and start a Minga server: lock the data directory, open the stores, seed the
 * sample workspace on first start, serve HTTP and websockets, and stop cleanly.
 */
import http from 'node:http';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '../shared/protocol.ts';
import { CollabServer } from './collab/collab-server.ts';
import { CollabRefusal, type Identity, type Logger } from './collab/types.ts';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { Authenticator, type Auth } from './http/auth.ts';
import type { AppContext } from './http/context.ts';
import { attachCollabEndpoint } from './http/upgrade.ts';
import { createLogger } from './logger.ts';
import { seedSampleWorkspace } from './sample-workspace.ts';
import { createVersioning } from './versions/index.ts';
import { ExportService } from './export/export-service.ts';
import { serviceVersionReader } from './export/version-reader.ts';
import { livePlanSource } from './versions/plan-source.ts';
import { FileDocumentStorage } from './store/file-document-storage.ts';
import { acquireLock } from './store/lock.ts';
import { MetaStore } from './store/meta-store.ts';
import { authorizeUpdate } from './workspace/update-policy.ts';
import { applyThreadCommand } from './workspace/thread-commands.ts';
import { newSecret, Workspace, WorkspaceError } from './workspace/workspace.ts';
import { MemoryReclaimer, type ReclaimOptions } from './memory-reclaimer.ts';

/** A running server. */
export interface RunningServer {
  url: string;
  collab: CollabServer;
  workspace: Workspace;
  context: AppContext;
  /** Set on first start: the sample plan and its invite links. */
  sample: Awaited<ReturnType<typeof seedSampleWorkspace>> | null;
  close(): Promise<void>;
}

/** How often open connections are re-checked against sessions, invites and roles. */
const REAUTHORIZE_MS = 2000;

/** Read or create the key that signs CSRF tokens, so they survive restarts. */
async function csrfKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'csrf.key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const key = newSecret();
    await fs.writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

/** Start a server with a configuration; resolves once it listens. */
export async function startServer(
  config: Config,
  options: {
    logger?: Logger;
    version?: string;
    /** Clock of the milestone schedule (tests pass their own). */
    now?: () => number;
    milestoneCheckMs?: number;
    /** When memory is given back after plans unload (tests shorten it). */
    reclaim?: ReclaimOptions;
  } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const adminToken = newSecret();
  const lock = await acquireLock(config.dataDir, { url: null, adminToken, kind: 'server' });
  try {
    const meta = await MetaStore.open(config.dataDir);
    const storage = new FileDocumentStorage(path.join(config.dataDir, 'documents'), {
      journal: { retireMs: config.journalCheckpointMs },
      onCheckpointError: (error) => logger.error('storage.checkpoint_failed', { error: error.message }),
    });
    await fs.mkdir(path.join(config.dataDir, 'documents'), { recursive: true });
    // After a crash (of the process or the machine) the last saves are in the journal only:
    // back into the plans' logs before anything is loaded.
    const restored = await storage.recover();
    if (restored.length > 0) logger.warn('storage.recovered', { documents: restored.length });
    const workspace = new Workspace(meta, storage);
    let publicUrl = config.publicUrl ?? '';
    const auth = new Authenticator(workspace, await csrfKey(config.dataDir), config.allowedOrigins, () => new URL(publicUrl).origin);

    const collab: CollabServer = new CollabServer({
      storage,
      logger,
      limits: config.limits,
      hooks: {
        authenticate: async (request) => {
          const { identity, auth: credential } = auth.authenticateUpgrade(request);
          return { ...identity, credential };
        },
        authorizeUpdate,
        onChange: ({ documentId, identity, clients }) => {
          // Bookkeeping: in memory now, on disk later (MetaStore.updateSoon, ClientAuthors).
          workspace.touchDocument(documentId);
          workspace.recordClientAuthors(documentId, clients, identity.userId);
        },
        onCommand: (payload) => applyThreadCommand({ participantIds: (documentId) => workspace.activeParticipantIds(documentId) }, payload),
        onStoreError: ({ documentId, error }) => logger.error('document.storage_unhealthy', { documentId, error: error.message }),
        onUnload: () => reclaimer.noteUnload(),
      },
    });

    // Told of unloads by the collab server's hook (only ever called after this line has run).
    const reclaimer = new MemoryReclaimer(logger, () => collab.quietForMs(), options.reclaim);

    // What each credential's last check found, while nothing in the workspace has changed since
    // (a role, a revocation, a sign-out all change it) and the credential has not expired: the
    // sweep then costs a comparison per connection instead of lookups, hashing and date parsing.
    const lastChecks = new WeakMap<Auth, { documentId: string; revision: number; until: number; identity: Identity }>();
    const reauthorize = (): void => {
      const now = Date.now();
      collab.reauthorize((documentId, identity) => {
        const credential = identity.credential as Auth;
        const last = lastChecks.get(credential);
        if (last && last.documentId === documentId && last.revision === meta.revision && now < last.until) return last.identity;
        const result = recheck(documentId, credential);
        if (!(result instanceof CollabRefusal)) {
          lastChecks.set(credential, { documentId, revision: meta.revision, until: workspace.credentialExpiry(credential.via, credential.secret), identity: result });
        }
        return result;
      });
    };
    const recheck = (documentId: string, credential: Auth): Identity | CollabRefusal => {
      let current;
      try {
        current = { ...auth.identityFor(credential, documentId), credential };
      } catch (error) {
        if (error instanceof WorkspaceError) return new CollabRefusal(CloseCode.Forbidden, 'access revoked');
        throw error;
      }
      // Access still stands; the credential itself may have ended (sign-out, revoked link).
      return auth.stillValid(credential) ? current : new CollabRefusal(CloseCode.Unauthorized, 'session ended');
    };

    const reauthorizeTimer = setInterval(reauthorize, REAUTHORIZE_MS);
    reauthorizeTimer.unref();

    const versioning = createVersioning({ dataDir: config.dataDir, meta, workspace, source: livePlanSource(collab, storage), logger, now: options.now, checkEveryMs: options.milestoneCheckMs });

    const planSource = livePlanSource(collab, storage);
    const exportsService = new ExportService(
      { readState: (documentId) => planSource.readState(documentId), readVersion: serviceVersionReader(versioning.versions) },
      { onFailure: (detail) => logger.error('export.failed', { detail }) },
    );

    const context: AppContext = {
      config,
      version: options.version ?? '0.1.0',
      workspace,
      collab,
      versions: versioning.versions,
      milestones: versioning.milestones,
      exports: exportsService,
      auth,
      logger,
      adminToken,
      cspReports: [],
      publicUrl: () => publicUrl,
      accessChanged: reauthorize,
    };
    const app = createApp(context);
    const server = http.createServer(app);
    // Sockets that never finish their request (or upgrade) are dropped.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    const wss = attachCollabEndpoint(server, collab, logger);

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host === '127.0.0.1' ? 'localhost' : config.host;
    const url = `http://${shownHost}:${port}`;
    publicUrl = config.publicUrl ?? url;
    await lock.update({ url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` });

    let sample: RunningServer['sample'] = null;
    if (config.seedSample && meta.data.documents.length === 0) {
      sample = await seedSampleWorkspace(workspace, publicUrl, versioning.milestones);
      logger.info('sample.created', { documentId: sample.documentId });
    }
    // Milestones that passed while the server was down are captured before it reports ready.
    await versioning.scheduler.start();
    logger.info('server.listening', { url, dataDir: config.dataDir });

    let closed = false;
    return {
      url,
      collab,
      workspace,
      context,
      sample,
      close: async () => {
        if (closed) return;
        closed = true;
        clearInterval(reauthorizeTimer);
        reclaimer.close();
        await versioning.scheduler.stop();
        await exportsService.close();
        await collab.close();
        await storage.close();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await meta.flush().catch((error) => logger.error('metadata.save_failed', { error: (error as Error).message }));
        await lock.release();
        logger.info('server.stopped', {});
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
