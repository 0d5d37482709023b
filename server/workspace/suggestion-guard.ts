/**
 * The content half of the update guard, for people who may only suggest. Their update is
 * applied first to a shadow copy of the plan (never to the plan itself); the plan "without
 * their suggestions" is compared before and after (shared/suggestions.ts). Only if nothing
 * but their own suggestions changed is the update applied to the real document, broadcast
 * and stored. A refused update leaves the shadow dirty, so it is rebuilt from the plan.
 */
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { readPlanContent } from '../../shared/plan-doc.ts';
import { onlyOwnSuggestions } from '../../shared/suggestions.ts';

interface Shadow {
  doc: Y.Doc;
  /** The shadow's body as JSON, while it is known to be current. */
  body: JSONContent | null;
  dispose(): void;
}

const shadows = new WeakMap<Y.Doc, Shadow>();

function shadowOf(doc: Y.Doc): Shadow {
  const existing = shadows.get(doc);
  if (existing) return existing;
  const copy = new Y.Doc({ gc: doc.gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  // Keep the shadow in step with every change the plan accepts; re-applying what the shadow
  // already has (the update just checked) changes nothing and keeps the cached body.
  const follow = (update: Uint8Array): void => Y.applyUpdate(copy, update);
  const dispose = (): void => {
    doc.off('update', follow);
    doc.off('destroy', dispose);
    copy.destroy();
    shadows.delete(doc);
  };
  const shadow: Shadow = { doc: copy, body: null, dispose };
  copy.on('update', () => {
    shadow.body = null;
  });
  doc.on('update', follow);
  doc.on('destroy', dispose);
  shadows.set(doc, shadow);
  return shadow;
}

/** Whether applying `update` to `doc` would change nothing but `authorId`'s own suggestions. */
export function isPureSuggestion(doc: Y.Doc, update: Uint8Array, authorId: string): boolean {
  const shadow = shadowOf(doc);
  const before = shadow.body ?? readPlanContent(shadow.doc);
  Y.applyUpdate(shadow.doc, update);
  const after = readPlanContent(shadow.doc);
  if (onlyOwnSuggestions(before, after, authorId)) {
    shadow.body = after;
    return true;
  }
  shadow.dispose(); // it now holds the refused change: rebuild from the plan next time
  return false;
}
