/**
 * The update guard's first half: from an inspected (not yet applied) update, work out which
 * root types of the document it would change. Policies then decide from that footprint, so
 * a connection is judged by what its update would do, not by the message type it came in.
 */
import * as Y from 'yjs';
import type { InspectedUpdate, StructId } from './update-inspector.ts';

/** What an update would change, before it is applied. */
export interface UpdateFootprint {
  /** Root types (by name) that the update would add to or delete from. */
  roots: Set<string>;
  /**
   * Structs or deletions whose place cannot be known yet: they depend on data the server
   * has not received. Yjs would hold them pending and apply them later without asking again,
   * so a policy that restricts roots must refuse them.
   */
  unresolved: number;
  /** Whether applying the update would change anything at all. */
  changes: boolean;
}

/** Sentinel for structs that land in garbage-collected (already deleted) content. */
const COLLECTED = Symbol('collected');
type Place = string | typeof COLLECTED | null;

interface StoreInternals {
  clients: Map<number, Array<Y.Item | Y.GC>>;
}

function storeOf(doc: Y.Doc): StoreInternals {
  return (doc as unknown as { store: StoreInternals }).store;
}

/** The root name of a type integrated in `doc`. */
function rootNameOf(doc: Y.Doc, type: Y.AbstractType<unknown> | null): Place {
  let current = type;
  while (current && current._item) {
    if (current._item.parent === null) return COLLECTED;
    current = current._item.parent as Y.AbstractType<unknown>;
  }
  if (!current) return COLLECTED;
  for (const [name, shared] of doc.share) if (shared === current) return name;
  return null;
}

/** Find the struct of `doc` holding the given id, or null when the server has not seen it. */
function existingStruct(doc: Y.Doc, id: StructId): Y.Item | Y.GC | null {
  const structs = storeOf(doc).clients.get(id.client);
  if (!structs || structs.length === 0) return null;
  const last = structs[structs.length - 1];
  if (id.clock >= last.id.clock + last.length) return null;
  return structs[Y.findIndexSS(structs, id.clock)];
}

/** Compute the footprint of an update against the current state of `doc`. */
export function updateFootprint(doc: Y.Doc, update: InspectedUpdate): UpdateFootprint {
  const roots = new Set<string>();
  let unresolved = 0;
  let changes = false;

  // Structs of this update, by client, so ids inside the same update can be resolved.
  const own = new Map<number, typeof update.structs>();
  for (const s of update.structs) {
    if (s.kind !== 'item') continue;
    let list = own.get(s.client);
    if (!list) own.set(s.client, (list = []));
    list.push(s);
  }
  const memo = new Map<(typeof update.structs)[number], Place>();

  /** The struct of this update holding `id`, if any. */
  const ownStruct = (id: StructId): (typeof update.structs)[number] | undefined => own.get(id.client)?.find((c) => id.clock >= c.clock && id.clock < c.clock + c.length);
  /** Whether the struct holding `id` is in the document or in this update. */
  const knownId = (id: StructId): boolean => existingStruct(doc, id) !== null || ownStruct(id) !== undefined;

  const placeOfId = (id: StructId, depth: number): Place => {
    const existing = existingStruct(doc, id);
    if (existing) return existing instanceof Y.Item ? rootNameOf(doc, existing.parent as Y.AbstractType<unknown>) : COLLECTED;
    const s = ownStruct(id);
    return s ? placeOfStruct(s, depth + 1) : null;
  };

  const placeOfStruct = (s: (typeof update.structs)[number], depth: number): Place => {
    if (memo.has(s)) return memo.get(s)!;
    if (depth > 64) return null;
    memo.set(s, null); // cycle guard
    let place: Place = null;
    if (s.parentRoot !== null) place = s.parentRoot;
    else if (s.parentId) {
      // The parent is a type: new content lands in the root that contains that type.
      const parent = placeOfId(s.parentId, depth);
      place = parent;
    } else if (s.origin) place = placeOfId(s.origin, depth);
    else if (s.rightOrigin) place = placeOfId(s.rightOrigin, depth);
    memo.set(s, place);
    return place;
  };

  // Yjs integrates an item only once it has every other client's struct the item refers to:
  // origin, right origin, parent type. An item names its parent only when it has neither origin
  // (the encoding), and its place above comes from that parent or else from its origin, which
  // resolves it; the one reference left is the right origin of an item that has both origins.
  // Missing from the document and from this update, it would leave the item pending.
  const rightOriginKnown = (s: (typeof update.structs)[number]): boolean =>
    s.origin === null || s.rightOrigin === null || s.rightOrigin.client === s.client || knownId(s.rightOrigin);

  // Yjs integrates a client's structs only in clock order. One that starts past what the
  // server has and what this update brings before it (a gap: say an earlier update of the same
  // client was refused) would wait in Yjs's pending store, outside the guard, and go out to
  // other clients in sync replies: it counts as unresolved.
  const reach = new Map<number, number>();
  for (const s of update.structs) {
    if (s.kind === 'skip') continue; // a range the update does not bring
    const known = Y.getState(doc.store, s.client);
    const from = reach.get(s.client) ?? known;
    if (s.clock > from) {
      changes = true;
      unresolved++;
      continue;
    }
    reach.set(s.client, Math.max(from, s.clock + s.length));
    if (s.kind !== 'item') continue;
    if (s.clock + s.length <= known) continue; // already known: a no-op
    changes = true;
    const place = placeOfStruct(s, 0);
    if (place === null || !rightOriginKnown(s)) unresolved++;
    else if (place !== COLLECTED) roots.add(place);
  }

  for (const d of update.deletions) {
    const end = d.clock + d.length;
    const structs = storeOf(doc).clients.get(d.client) ?? [];
    const known = Y.getState(doc.store, d.client);
    if (d.clock < known && structs.length > 0) {
      for (let i = Y.findIndexSS(structs, d.clock); i < structs.length && structs[i].id.clock < end; i++) {
        const struct = structs[i];
        if (!(struct instanceof Y.Item) || struct.deleted) continue; // deleting the deleted is a no-op
        changes = true;
        const place = rootNameOf(doc, struct.parent as Y.AbstractType<unknown>);
        if (place === null) unresolved++;
        else if (place !== COLLECTED) roots.add(place);
      }
    }
    if (end > known) {
      // Deletes content the server does not have: only fine if this very update brings it.
      const candidates = own.get(d.client) ?? [];
      let clock = Math.max(d.clock, known);
      while (clock < end) {
        const s = candidates.find((c) => clock >= c.clock && clock < c.clock + c.length);
        if (!s) {
          unresolved++;
          break;
        }
        changes = true;
        const place = placeOfStruct(s, 0);
        if (place === null) unresolved++;
        else if (place !== COLLECTED) roots.add(place);
        clock = s.clock + s.length;
      }
    }
  }
  return { roots, unresolved, changes };
}
