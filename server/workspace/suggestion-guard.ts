/**
 * The content half of the update guard, for people who may only suggest. Their update is
 * applied first to a shadow copy of the plan (never to the plan itself); the plan "without
 * their suggestions" is compared before and after (shared/suggestions.ts). Only if nothing
 * but their own suggestions changed is the update applied to the real document, broadcast
 * and stored. A refused update leaves the shadow dirty, so it is rebuilt from the plan.
 */
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { YName } from '../../shared/protocol.ts';
import { onlyOwnSuggestions } from '../../shared/suggestions.ts';

interface Shadow {
  doc: Y.Doc;
  dispose(): void;
}

const shadows = new WeakMap<Y.Doc, Shadow>();

function shadowOf(doc: Y.Doc): Shadow {
  const existing = shadows.get(doc);
  if (existing) return existing;
  const copy = new Y.Doc({ gc: doc.gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  // Keep the shadow in step with every change the plan accepts; re-applying what the shadow
  // already has (the update just checked) changes nothing.
  const follow = (update: Uint8Array): void => Y.applyUpdate(copy, update);
  const dispose = (): void => {
    doc.off('update', follow);
    doc.off('destroy', dispose);
    copy.destroy();
    shadows.delete(doc);
  };
  const shadow: Shadow = { doc: copy, dispose };
  doc.on('update', follow);
  doc.on('destroy', dispose);
  shadows.set(doc, shadow);
  return shadow;
}

type Block = Y.XmlElement | Y.XmlText;

function sameItem(a: Block, b: Block): boolean {
  const x = a._item!.id;
  const y = b._item!.id;
  return x.client === y.client && x.clock === y.clock;
}

/** The top-level block of the body that contains `type`, if any. */
function topLevelOf(type: Y.AbstractType<unknown>, body: Y.XmlFragment): Y.Item | null {
  let current: Y.AbstractType<unknown> | null = type;
  while (current && current._item && current._item.parent !== body) current = current._item.parent as Y.AbstractType<unknown>;
  return current?._item ?? null;
}

/** ProseMirror JSON of a run of top-level blocks (the shape readPlanContent gives the whole body). */
function blocksJson(blocks: Block[]): JSONContent {
  return yXmlFragmentToProsemirrorJSON({ toArray: () => blocks } as unknown as Y.XmlFragment) as JSONContent;
}

/**
 * Whether applying `update` to `doc` would change nothing but `authorId`'s own suggestions.
 * Only the run of top-level blocks the update touches is compared (plus the block before it,
 * where a proposed split folds back), so the cost follows the edit, not the plan's length.
 */
export function isPureSuggestion(doc: Y.Doc, update: Uint8Array, authorId: string): boolean {
  const shadow = shadowOf(doc);
  const shadowBody = shadow.doc.getXmlFragment(YName.body);
  const touched = new Set<string>();
  const collect = (transaction: Y.Transaction): void => {
    for (const type of [...transaction.changed.keys(), ...transaction.changedParentTypes.keys()]) {
      const item = topLevelOf(type as Y.AbstractType<unknown>, shadowBody);
      if (item) touched.add(`${item.id.client}:${item.id.clock}`);
    }
  };
  shadow.doc.on('afterTransaction', collect);
  try {
    Y.applyUpdate(shadow.doc, update);
  } finally {
    shadow.doc.off('afterTransaction', collect);
  }
  const before = doc.getXmlFragment(YName.body).toArray() as Block[];
  const after = shadowBody.toArray() as Block[];
  const unchanged = (a: Block, b: Block): boolean => sameItem(a, b) && !touched.has(`${b._item!.id.client}:${b._item!.id.clock}`);
  let head = 0;
  while (head < before.length && head < after.length && unchanged(before[head], after[head])) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && unchanged(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
  const from = Math.max(0, head - 1);
  const ok = onlyOwnSuggestions(blocksJson(before.slice(from, before.length - tail)), blocksJson(after.slice(from, after.length - tail)), authorId);
  if (!ok) shadow.dispose(); // it now holds the refused change: rebuild from the plan next time
  return ok;
}
