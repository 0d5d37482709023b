/**
 * The update guard's policy: which parts of a plan's Y.Doc each role may change. The guard
 * computes an update's footprint before applying it; this decides from that footprint.
 */
import { YName } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import type { UpdateFootprint } from '../collab/guard.ts';
import type * as Y from 'yjs';
import type { GuardDecision, Identity } from '../collab/types.ts';
import { isPureSuggestion } from './suggestion-guard.ts';

/** Root types each role may write freely. */
export const WRITABLE_ROOTS: Record<Role, ReadonlySet<string>> = {
  owner: new Set([YName.body]),
  editor: new Set([YName.body]),
  suggester: new Set(),
  commenter: new Set(),
  viewer: new Set(),
};

/**
 * Roots a role may write only with suggestions: the content check (suggestion-guard.ts) must
 * find that the update changes nothing but the person's own suggestions.
 */
export const SUGGESTION_ROOTS: Record<Role, ReadonlySet<string>> = {
  owner: new Set(),
  editor: new Set(),
  suggester: new Set([YName.body]),
  commenter: new Set(),
  viewer: new Set(),
};

/** Decide whether an update with this footprint may be applied for this identity. */
export function authorizeUpdate(payload: { identity: Identity; footprint: UpdateFootprint; update: Uint8Array; doc: Y.Doc }): GuardDecision {
  const { identity, footprint } = payload;
  const writable = WRITABLE_ROOTS[identity.role];
  const suggestable = SUGGESTION_ROOTS[identity.role];
  if (writable.size === 0 && suggestable.size === 0) return { allowed: false, reason: `role ${identity.role} cannot change the plan`, resync: true };
  let needsSuggestionCheck = false;
  for (const root of footprint.roots) {
    if (writable.has(root)) continue;
    if (suggestable.has(root)) needsSuggestionCheck = true;
    else return { allowed: false, reason: `role ${identity.role} cannot write "${root}"`, resync: true };
  }
  // Unresolvable parts would wait in Yjs's pending store and be applied later without passing
  // the guard; and a pending struct can make the saved, merged update unreadable (found by the
  // fuzz test). A real client never needs this: what it depends on arrives in its sync step 2,
  // which the connection asks for again after such a refusal.
  if (footprint.unresolved > 0) {
    return { allowed: false, reason: 'update depends on content the server does not have yet; it will arrive with the next sync', resync: false };
  }
  if (needsSuggestionCheck && !isPureSuggestion(payload.doc, payload.update, identity.userId)) {
    return { allowed: false, reason: 'a suggester can only add, change or withdraw their own suggestions', resync: true };
  }
  return { allowed: true };
}
