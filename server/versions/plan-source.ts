/**
 * How the versions feature reads and changes plans: through the live room when the plan is
 * open (what everyone sees right now), otherwise through storage. The versions service only
 * knows this seam, so it runs the same in the server and in the command-line admin.
 */
import * as Y from 'yjs';
import type { CollabServer } from '../collab/collab-server.ts';
import type { DocumentStorage } from '../collab/storage.ts';
import { mergeUpdateList } from '../collab/merge.ts';

/** Reading a plan's current state and making server-side changes to it. */
export interface PlanSource {
  /** The whole current state of a plan as one Yjs update, or null for an unknown plan. */
  readState(documentId: string): Promise<Uint8Array | null>;
  /**
   * Apply a change to the live plan in a server-origin transaction: it reaches every open
   * connection and storage like any edit. Resolves false for an unknown plan.
   */
  change(documentId: string, apply: (doc: Y.Doc) => void): Promise<boolean>;
}

/** A plan's stored updates folded into one state. */
async function storedState(storage: DocumentStorage, documentId: string): Promise<Uint8Array | null> {
  const updates = await storage.load(documentId);
  if (!updates) return null;
  return mergeUpdateList(updates);
}

/** The running server's plans: live rooms first, storage for plans nobody has open. */
export function livePlanSource(collab: CollabServer, storage: DocumentStorage): PlanSource {
  return {
    async readState(documentId) {
      const open = collab.room(documentId);
      if (open) return Y.encodeStateAsUpdate(open.doc);
      const state = await storedState(storage, documentId);
      // The plan may have been opened while storage was read: the room is then the truth.
      const opened = collab.room(documentId);
      return opened ? Y.encodeStateAsUpdate(opened.doc) : state;
    },
    change: (documentId, apply) => collab.changeDocument(documentId, apply),
  };
}

/** A stopped server's plans (the command-line admin holds the data directory's lock). */
export function storedPlanSource(storage: DocumentStorage): PlanSource {
  return {
    readState: (documentId) => storedState(storage, documentId),
    async change(documentId, apply) {
      const state = await storedState(storage, documentId);
      if (!state) return false;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const before = Y.encodeStateVector(doc);
      apply(doc);
      await storage.append(documentId, [Y.encodeStateAsUpdate(doc, before)]);
      doc.destroy();
      return true;
    },
  };
}
