/**
 * The plan as every exporter reads it: the ProseMirror document built with the shared editor
 * schema from the plan's Y.Doc, its open comment threads anchored to passages, and the words
 * of the title page. Built once per export, inside the export worker.
 */
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { readPlanContent } from '../../shared/plan-doc.ts';
import { planSchema } from '../../shared/schema.ts';
import { isSafeHref } from '../../shared/links.ts';
import { formatMarkList, SuggestionMark } from '../../shared/suggestion-marks.ts';
import { BLOCK_SUGGESTION_ATTR, settledBlockType } from '../../shared/suggestions.ts';
import { readThreads } from '../../shared/threads.ts';
import type { ExportLanguage } from '../../shared/export.ts';
import { anchorThreads, type AnchoredThread } from './anchors.ts';
import { exportWords } from './words.ts';

/** What the main thread hands an export: the plan's state and the words of its title page. */
export interface PlanSnapshot {
  /** The whole Y.Doc as one update. */
  state: Uint8Array;
  title: string;
  /** Name of the captured version, or null for the plan as it is now. */
  versionName: string | null;
  /** When the version was captured, or when the export was asked for (ISO). */
  date: string;
}

/** The plan ready to be written out. */
export interface PlanModel {
  title: string;
  /** "Plan actual" or the version's name. */
  versionLabel: string;
  /** The title page's date, written out in the export's language. */
  dateLabel: string;
  lang: ExportLanguage;
  json: JSONContent;
  doc: PMNode;
  /** Open comment threads, in document order where anchored. */
  threads: AnchoredThread[];
}

/** Drop link marks whose href the link policy refuses (a hand-made update could carry one). */
function safeLinks(node: JSONContent): JSONContent {
  const marks = node.marks?.filter((mark) => mark.type !== 'link' || isSafeHref(String(mark.attrs?.href ?? '')));
  return {
    ...node,
    ...(node.marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(safeLinks) } : {}),
  };
}

/**
 * The plan as it stands without its pending suggestions, as ProseMirror steps over the full
 * document (so comment passages can be mapped through them): blocks proposed as new are folded
 * back into the block before them (or dropped when empty), proposed insertions are removed,
 * proposed deletions lose their mark, proposed formatting is undone, and blocks whose type was
 * proposed to change get their recorded type back.
 */
export function withoutSuggestions(doc: PMNode): Transform {
  const tr = new Transform(doc);
  const proposed: number[] = [];
  const inserted: Array<[number, number]> = [];
  const schema = doc.type.schema;
  doc.descendants((node, pos) => {
    if (node.attrs[BLOCK_SUGGESTION_ATTR]) proposed.push(pos);
    // A proposed block type gives way to the recorded one at once: the block keeps its size.
    const settled = settledBlockType(node, true);
    if (settled) tr.setNodeMarkup(pos, settled.type, settled.attrs);
    if (node.isText && node.marks.some((mark) => mark.type.name === SuggestionMark.insertion)) inserted.push([pos, pos + node.nodeSize]);
    // Proposed formatting is undone at once: mark steps move nothing, so the positions kept stay valid.
    const format = node.isText ? node.marks.find((mark) => mark.type.name === SuggestionMark.format) : undefined;
    if (format) {
      for (const name of formatMarkList(format.attrs.added)) tr.removeMark(pos, pos + node.nodeSize, schema.marks[name]);
      for (const name of formatMarkList(format.attrs.removed)) tr.addMark(pos, pos + node.nodeSize, schema.marks[name].create());
      tr.removeMark(pos, pos + node.nodeSize, format.type);
    }
    return true;
  });
  // Last first, so the positions of the blocks still to fold do not move.
  for (const pos of proposed.reverse()) {
    const node = tr.doc.nodeAt(pos)!;
    const before = tr.doc.resolve(pos).nodeBefore;
    try {
      if (node.isTextblock && before?.isTextblock) tr.join(pos);
      else if (node.textContent === '') tr.delete(pos, pos + node.nodeSize);
      else tr.setNodeAttribute(pos, BLOCK_SUGGESTION_ATTR, null);
    } catch {
      // A fold the schema does not allow (the last item of a list): keep the block, unmarked.
      tr.setNodeAttribute(pos, BLOCK_SUGGESTION_ATTR, null);
    }
  }
  for (const [from, to] of inserted) {
    const start = tr.mapping.map(from, 1);
    const end = tr.mapping.map(to, -1);
    if (end > start) tr.delete(start, end);
  }
  const deletion = doc.type.schema.marks[SuggestionMark.deletion];
  if (deletion) tr.removeMark(0, tr.doc.content.size, deletion);
  return tr;
}

/** Build the model of a plan snapshot. */
export function buildPlanModel(snapshot: PlanSnapshot, options: { lang: ExportLanguage; suggestions: boolean }): PlanModel {
  const { lang } = options;
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, snapshot.state);
    const full = planSchema.nodeFromJSON(safeLinks(readPlanContent(ydoc)));
    const open = readThreads(ydoc).filter((thread) => thread.kind === 'comment' && thread.status === 'open');
    let doc = full;
    let threads = anchorThreads(ydoc, full, open);
    if (!options.suggestions) {
      const tr = withoutSuggestions(full);
      doc = tr.doc;
      threads = threads.map((anchored) => {
        if (!anchored.range) return anchored;
        const from = tr.mapping.map(anchored.range.from, 1);
        const to = tr.mapping.map(anchored.range.to, -1);
        return to > from ? { ...anchored, range: { from, to } } : { ...anchored, range: null, resolvedBy: 'none' as const };
      });
    }
    threads.sort((a, b) => (a.range?.from ?? Infinity) - (b.range?.from ?? Infinity));
    const json = doc.toJSON() as JSONContent;
    const words = exportWords(lang);
    return {
      title: snapshot.title,
      versionLabel: snapshot.versionName ?? words.currentPlan,
      dateLabel: words.date(snapshot.date),
      lang,
      json,
      doc,
      threads,
    };
  } finally {
    ydoc.destroy();
  }
}
