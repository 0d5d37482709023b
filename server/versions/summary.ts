/**
 * The per-section summary of a comparison: words added and removed, and what happened to
 * comments and suggestions between the two sides (from the threads root of both states).
 * Sections are the plan's level-2 headings; section 0 is whatever comes before the first.
 */
import * as Y from 'yjs';
import type { Node as PMNode } from '@tiptap/pm/model';
import { YName } from '../../shared/protocol.ts';
import { SuggestionMark } from '../../shared/suggestion-marks.ts';
import { readThreads, type Thread } from '../../shared/threads.ts';
import { countWords, type ChangeEntry, type SectionSummary, type ThreadActivity } from '../../shared/versions.ts';
import { blockOffsets } from './block-diff.ts';
import type { ChangeRun } from './compare.ts';

/** Level-2 headings split a plan into sections. */
const SECTION_LEVEL = 2;
/** Longest quote a thread keeps in the summary. */
const MAX_QUOTE = 300;

/** The sections of a document: titles, and the section of each top-level block. */
export interface Sections {
  titles: Array<string | null>;
  ofBlock: number[];
  offsets: number[];
}

/** Find the sections of a document. */
export function sectionsOf(doc: PMNode): Sections {
  const titles: Array<string | null> = [null];
  const ofBlock: number[] = [];
  doc.forEach((child) => {
    if (child.type.name === 'heading' && child.attrs.level === SECTION_LEVEL) titles.push(child.textContent);
    ofBlock.push(titles.length - 1);
  });
  return { titles, ofBlock, offsets: blockOffsets(doc) };
}

/** The section a position belongs to; a position between blocks belongs to the block before it. */
export function sectionAt(sections: Sections, pos: number): number {
  const { offsets, ofBlock } = sections;
  if (ofBlock.length === 0 || pos <= 0) return 0;
  let lo = 0;
  let hi = ofBlock.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] < pos) lo = mid;
    else hi = mid - 1;
  }
  return ofBlock[lo];
}

/** Join the walk's runs into passages: one per change, kind and author, in document order. */
export function changeEntries(runs: readonly ChangeRun[], sections: Sections): ChangeEntry[] {
  const entries: ChangeEntry[] = [];
  let last: (ChangeRun & { entry: ChangeEntry }) | null = null;
  for (const run of runs) {
    if (last && last.change === run.change && last.kind === run.kind && last.author === run.author) {
      last.entry.text += (last.block === run.block ? '' : ' ') + run.text;
      last = { ...run, entry: last.entry };
      continue;
    }
    const entry: ChangeEntry = { kind: run.kind, text: run.text, section: sectionAt(sections, run.at), author: run.author };
    entries.push(entry);
    last = { ...run, entry };
  }
  return entries.filter((e) => e.text.trim().length > 0);
}

/** Where each suggestion's marks are in a document (suggestion id → position). */
function suggestionPlaces(doc: PMNode): Map<string, number> {
  const places = new Map<string, number>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (mark.type.name !== SuggestionMark.insertion && mark.type.name !== SuggestionMark.deletion) continue;
      const id = String(mark.attrs.suggestionId ?? '');
      if (id && !places.has(id)) places.set(id, pos);
    }
    return false;
  });
  return places;
}

/** The top-level block a comment's anchor points into, in a Y.Doc, or null. */
function anchorBlock(ydoc: Y.Doc, encoded: string, blockIndex: Map<Y.Item, number>): number | null {
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(encoded, 'base64')), ydoc);
  } catch {
    return null;
  }
  if (!absolute) return null;
  const body = ydoc.getXmlFragment(YName.body);
  if (absolute.type === body) return absolute.index;
  let item = absolute.type._item;
  while (item && item.parent !== body) item = (item.parent as Y.AbstractType<unknown>)._item;
  return item ? (blockIndex.get(item) ?? null) : null;
}

/** Index of each live top-level item of the body. */
function topLevelItems(ydoc: Y.Doc): Map<Y.Item, number> {
  const index = new Map<Y.Item, number>();
  let i = 0;
  for (let item = ydoc.getXmlFragment(YName.body)._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    index.set(item, i++);
  }
  return index;
}

/** The inputs of a summary. */
export interface SummaryInput {
  older: { doc: PMNode; ydoc: Y.Doc; at: string };
  newer: { doc: PMNode; ydoc: Y.Doc; at: string; sections: Sections };
  entries: ChangeEntry[];
}

/** Per-section figures and thread activity between the two sides. */
export function summarize(input: SummaryInput): { sections: SectionSummary[]; threads: ThreadActivity[] } {
  const { newer, entries } = input;
  const sections: SectionSummary[] = newer.sections.titles.map((title, index) => ({
    index,
    title,
    wordsAdded: 0,
    wordsRemoved: 0,
    commentsOpened: 0,
    commentsResolved: 0,
    suggestionsMade: 0,
    suggestionsAccepted: 0,
    suggestionsRejected: 0,
    authors: [],
  }));
  for (const entry of entries) {
    const section = sections[entry.section];
    if (entry.kind === 'inserted') {
      section.wordsAdded += countWords(entry.text);
      if (entry.author !== null && !section.authors.includes(entry.author)) section.authors.push(entry.author);
    } else section.wordsRemoved += countWords(entry.text);
  }

  const threads = threadActivity(input);
  for (const activity of threads) {
    const section = sections[activity.section];
    const happened = (type: string): boolean => activity.events.some((e) => e.type === type);
    if (activity.kind === 'comment') {
      if (activity.opened) section.commentsOpened++;
      if (happened('resolved')) section.commentsResolved++;
    } else {
      if (activity.opened) section.suggestionsMade++;
      if (happened('accepted')) section.suggestionsAccepted++;
      if (happened('rejected')) section.suggestionsRejected++;
    }
  }
  return { sections, threads };
}

/** What happened to each thread between the two sides (threads with no activity are left out). */
function threadActivity(input: SummaryInput): ThreadActivity[] {
  const { older, newer } = input;
  const before = new Map(readThreads(older.ydoc).map((t) => [t.id, t]));
  const placesNew = suggestionPlaces(newer.doc);
  const placesOld = suggestionPlaces(older.doc);
  const olderSections = sectionsOf(older.doc);
  const blocks = topLevelItems(newer.ydoc);

  const sectionOf = (thread: Thread): number => {
    if (thread.anchor) {
      const block = anchorBlock(newer.ydoc, thread.anchor.start, blocks);
      if (block !== null && block < newer.sections.ofBlock.length) return newer.sections.ofBlock[block];
    }
    const placeNew = placesNew.get(thread.id);
    if (placeNew !== undefined) return sectionAt(newer.sections, placeNew + 1);
    const placeOld = placesOld.get(thread.id);
    if (placeOld !== undefined) {
      // Decided suggestions leave no marks: find the section of the same title in the newer plan.
      const title = olderSections.titles[sectionAt(olderSections, placeOld + 1)];
      const index = newer.sections.titles.indexOf(title);
      if (index >= 0) return index;
    }
    return 0;
  };

  const out: ThreadActivity[] = [];
  for (const thread of readThreads(newer.ydoc)) {
    const previous = before.get(thread.id);
    const opened = !previous;
    const seen = new Set(previous?.events.map((e) => `${e.type}@${e.at}`) ?? []);
    // Events the older side did not have yet happened in between (timestamps alone could lie across clocks).
    const events = thread.events.filter((e) => !seen.has(`${e.type}@${e.at}`));
    // A status that changed with no event in the window (clock skew, a lost event) still counts.
    if (previous && previous.status !== thread.status && !events.some((e) => e.type === statusEvent(thread.status))) {
      const type = statusEvent(thread.status);
      if (type) events.push({ type, by: thread.author, at: newer.at });
    }
    const oldMessages = new Set(previous?.messages.map((m) => m.id) ?? []);
    const newMessages = thread.messages.filter((m) => !oldMessages.has(m.id)).length;
    if (!opened && events.length === 0 && newMessages === 0) continue;
    out.push({
      id: thread.id,
      kind: thread.kind,
      author: thread.author,
      quote: thread.quote.length > MAX_QUOTE ? `${thread.quote.slice(0, MAX_QUOTE)}…` : thread.quote,
      section: sectionOf(thread),
      status: thread.status,
      opened,
      events,
      newMessages,
    });
  }
  return out;
}

/** The event that leads to a thread status. */
function statusEvent(status: Thread['status']): 'resolved' | 'reopened' | 'accepted' | 'rejected' | 'withdrawn' | null {
  if (status === 'open') return 'reopened';
  return status;
}
