/**
 * The update guard's policy: which parts of a plan's Y.Doc each role may change. The guard
 * computes an update's footprint before applying it; this decides from that footprint.
 */
import { YName } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import type { UpdateFootprint } from '../collab/guard.ts';
import type { GuardDecision, Identity } from '../collab/types.ts';

/**
 * Root types each role may write. Roles that may not edit text write nothing directly yet;
 * comment and suggestion data get their own roots (and finer rules) when those features land.
 */
export const WRITABLE_ROOTS: Record<Role, ReadonlySet<string>> = {
  owner: new Set([YName.body]),
  editor: new Set([YName.body]),
  suggester: new Set(),
  commenter: new Set(),
  viewer: new Set(),
};

/** Decide whether an update with this footprint may be applied for this identity. */
export function authorizeUpdate(payload: { identity: Identity; footprint: UpdateFootprint }): GuardDecision {
  const { identity, footprint } = payload;
  const writable = WRITABLE_ROOTS[identity.role];
  if (writable.size === 0) return { allowed: false, reason: `role ${identity.role} cannot change the plan` };
  for (const root of footprint.roots) {
    if (!writable.has(root)) return { allowed: false, reason: `role ${identity.role} cannot write "${root}"` };
  }
  // Unresolvable parts would be applied later without passing the guard. Editors may write
  // the whole body, so for them this only concerns data they could write anyway.
  if (footprint.unresolved > 0 && identity.role !== 'owner' && identity.role !== 'editor') {
    return { allowed: false, reason: 'update depends on unknown content' };
  }
  return { allowed: true };
}
