/** Which threads the panel shows (open, resolved, mine, for me, by delegation) and counts per section. */
import type { Node as PMNode } from '@tiptap/pm/model';
import type { Thread } from '../../../../shared/threads.ts';
import { collectHeadings } from '../outline/useOutline.ts';
import type { PassageRange } from './anchors.ts';

/** The panel's filter tabs. */
export const THREAD_FILTERS = ['open', 'resolved', 'mine', 'forMe'] as const;
/** One of the panel's filter tabs. */
export type ThreadFilter = (typeof THREAD_FILTERS)[number];

/** Threads the person started or wrote in. */
export function isMine(thread: Thread, userId: string): boolean {
  return thread.author?.id === userId || thread.messages.some((m) => m.author.id === userId && !m.deletedAt);
}

/** Threads with a (not deleted) message mentioning the person. */
export function mentionsUser(thread: Thread, userId: string): boolean {
  return thread.messages.some((m) => !m.deletedAt && m.mentions.includes(userId));
}

/** Whether a thread passes a filter tab and an optional delegation (of who started it). */
export function matchesFilter(thread: Thread, filter: ThreadFilter, userId: string, delegation: string): boolean {
  if (delegation && thread.author?.delegation !== delegation) return false;
  switch (filter) {
    case 'open':
      return thread.status === 'open';
    case 'resolved':
      return thread.status === 'resolved';
    case 'mine':
      return isMine(thread, userId);
    case 'forMe':
      return mentionsUser(thread, userId);
  }
}

/** Delegations that started threads, for the delegation filter. */
export function threadDelegations(threads: readonly Thread[]): string[] {
  return [...new Set(threads.map((t) => t.author?.delegation).filter((d): d is string => Boolean(d)))].sort((a, b) => a.localeCompare(b));
}

/** Open threads under one section heading of the plan. */
export interface SectionCount {
  /** Position of the heading (to scroll there). */
  pos: number;
  title: string;
  open: number;
}

/**
 * Open, attached threads per section: a thread belongs to the last heading of level 1–2
 * before its passage. Sections without open threads are left out.
 */
export function openThreadsBySection(doc: PMNode, threads: readonly Thread[], ranges: ReadonlyMap<string, PassageRange | null>): SectionCount[] {
  const headings = collectHeadings(doc).filter((h) => h.level <= 2);
  const counts = new Map<number, SectionCount>();
  for (const thread of threads) {
    const range = ranges.get(thread.id);
    if (thread.status !== 'open' || !range) continue;
    let section = null;
    for (const heading of headings) {
      if (heading.pos < range.from) section = heading;
      else break;
    }
    if (!section) continue;
    const entry = counts.get(section.pos) ?? { pos: section.pos, title: section.text, open: 0 };
    entry.open += 1;
    counts.set(section.pos, entry);
  }
  return [...counts.values()].sort((a, b) => a.pos - b.pos);
}
