/**
 * Milestones, named versions and comparisons as the server sends them and the browser shows
 * them (docs/versions.md). A version is an immutable copy of a plan's whole Y.Doc (text,
 * threads and their states); a comparison is the newer document with what changed marked.
 */
import type { ThreadAuthor, ThreadEvent, ThreadStatus } from './threads.ts';

/** The id that names "the plan as it is now" wherever a version id is expected. */
export const CURRENT_PLAN = 'current';

/** Longest version name, milestone title and milestone description, in characters. */
export const VERSION_LIMITS = { name: 200, title: 200, description: 2000 } as const;

/** Who captured a version: a person, or the server itself (milestone schedule, admin command line). */
export type VersionCapturer =
  | { kind: 'person'; id: string; name: string; delegation: string }
  | { kind: 'system'; source: 'milestone' | 'admin' };

/** A version as listed: everything but the captured state. */
export interface VersionSummary {
  id: string;
  documentId: string;
  name: string;
  milestoneId: string | null;
  capturedBy: VersionCapturer;
  capturedAt: string;
  /** Bytes of the captured Yjs state. */
  size: number;
  /** SHA-256 (hex) over the version's content fields and state (docs/versions.md). */
  contentHash: string;
  /** The previous version's contentHash, or null for the first version of the plan. */
  prevHash: string | null;
  /** Set on the version recorded when someone restored an older version. */
  restoredFrom: string | null;
}

/** A date of the cooperation calendar at which the plan's state is captured. */
export interface Milestone {
  id: string;
  documentId: string;
  title: string;
  description: string;
  /** The instant (ISO 8601, UTC) at which the version is captured. */
  dueAt: string;
  /** IANA time zone the milestone is shown in (e.g. America/Lima). */
  timeZone: string;
  createdAt: string;
  updatedAt: string;
}

/** A milestone with whether its version exists. */
export interface MilestoneView extends Milestone {
  /** The first version captured for this milestone, if any. */
  versionId: string | null;
  /** Whether its time has come by the server's clock (its version is then captured, or about to be). */
  due: boolean;
}

/** What is wrong with one version of a chain. */
export type ChainProblemKind = 'content_hash_mismatch' | 'prev_hash_mismatch' | 'size_mismatch' | 'state_unreadable' | 'malformed';

/** One finding of a chain verification. */
export interface ChainProblem {
  versionId: string;
  /** Position in the chain, oldest first. */
  index: number;
  problem: ChainProblemKind;
  message: string;
}

/** The result of verifying a plan's version chain. */
export interface ChainReport {
  ok: boolean;
  versions: number;
  problems: ChainProblem[];
  /** Per version, oldest first: whether it passed every check. */
  checked: Array<{ id: string; ok: boolean }>;
}

/** An insertion or a deletion between two versions. */
export type ChangeKind = 'inserted' | 'deleted';

/** A mark on a run of text as the compare view shows it (bold, link, a suggestion…). */
export interface DiffMark {
  type: string;
  attrs?: Record<string, string | number | null>;
}

/** A run of text; `author` indexes CompareResult.authors (null: not known). */
export interface DiffText {
  kind: 'text';
  text: string;
  marks: DiffMark[];
  change: ChangeKind | null;
  author: number | null;
}

/** A node of the document (paragraph, heading, table cell…) with its children. */
export interface DiffElement {
  kind: 'node';
  type: string;
  attrs: Record<string, string | number | null>;
  change: ChangeKind | null;
  children: DiffNode[];
}

/** Anything in a rendered document. */
export type DiffNode = DiffText | DiffElement;

/** A person who wrote inserted text, as far as Yjs client ids tell. */
export interface ChangeAuthor {
  id: string;
  name: string;
  delegation: string;
  color: string;
}

/** What happened in one level-2 section between the two sides. Index 0 is the part before the first section. */
export interface SectionSummary {
  index: number;
  title: string | null;
  wordsAdded: number;
  wordsRemoved: number;
  commentsOpened: number;
  commentsResolved: number;
  suggestionsMade: number;
  suggestionsAccepted: number;
  suggestionsRejected: number;
  /** Indexes into CompareResult.authors of people who inserted text here. */
  authors: number[];
}

/** One inserted or deleted passage, in document order. */
export interface ChangeEntry {
  kind: ChangeKind;
  text: string;
  section: number;
  author: number | null;
}

/** What happened to one thread between the two sides. */
export interface ThreadActivity {
  id: string;
  kind: 'comment' | 'suggestion';
  author: ThreadAuthor;
  quote: string;
  section: number;
  status: ThreadStatus;
  opened: boolean;
  /** Decisions and resolutions that happened between the two sides. */
  events: ThreadEvent[];
  /** Messages added between the two sides. */
  newMessages: number;
}

/** One side of a comparison. */
export interface CompareSide {
  /** A version id, or CURRENT_PLAN. */
  id: string;
  name: string;
  at: string;
}

/** The comparison of two states of a plan: `from` is the older, `to` the newer. */
export interface CompareResult {
  documentId: string;
  from: CompareSide;
  to: CompareSide;
  authors: ChangeAuthor[];
  /** The newer document with insertions and deletions marked inline. */
  doc: DiffElement;
  sections: SectionSummary[];
  changes: ChangeEntry[];
  threads: ThreadActivity[];
  totals: { wordsAdded: number; wordsRemoved: number; insertions: number; deletions: number };
}

/** Words in a passage (letters and digits; punctuation alone is not a word). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
