/**
 * Text a person typed that the server never took, recovered from a copy of the plan that had
 * to be discarded (collabConnection.ts, `discard`: the server refused one of its changes for
 * good, and every later change of the same Yjs client builds on it).
 *
 * What was lost is exact, not guessed by a diff: every Yjs item carries (client, clock), and
 * a server that refused client c's change from clock k on holds c's items below k only. So
 * once a fresh copy has synced, its state vector says, per client, where the server's
 * knowledge ends; the discarded copy's visible characters at or past that point are the text
 * the server does not have. Deletions the server did not take cannot be shown as text (and are
 * not lost work in the same way); changes of formatting or block type are not listed either.
 *
 * The passages are kept in this browser (localStorage, per person and plan) until the person
 * closes the dialog that shows them, so a reload or a closed tab does not lose them a second
 * time. Sign-out removes them with the rest of what a page keeps.
 */
import * as Y from 'yjs';
import { browserStorage, readStoredJson, removeStoredWithPrefix, writeStoredJson } from '../../lib/localStore.ts';
import { YName } from '../../../../shared/protocol.ts';

/** One stretch of text the server does not have. */
export interface UnsavedPassage {
  /** The end of the kept text just before it, to find the place again ("…" first when cut; '' at the plan's start). */
  before: string;
  /** What was typed; blocks (paragraphs, list items, cells) within it are separated by newlines. */
  text: string;
}

/** What a discarded copy held that the server does not. */
export interface UnsavedText {
  /** When it was recovered (ms since the epoch). */
  at: number;
  passages: UnsavedPassage[];
  /** True when the passages were cut at `MAX_UNSAVED_CHARS`. */
  truncated: boolean;
}

/** Characters of context kept before each passage. */
const CONTEXT_CHARS = 60;
/** Most characters kept in all (localStorage holds a few megabytes per site). */
export const MAX_UNSAVED_CHARS = 200_000;

/** At most CONTEXT_CHARS of the end of `text`, starting at a word, after "…" when cut. */
function lastWords(text: string): string {
  if (text.length <= CONTEXT_CHARS) return text.trimStart();
  const tail = text.slice(-CONTEXT_CHARS);
  const space = tail.indexOf(' ');
  // A cut inside a word drops the word's end; a text without spaces is cut where it is.
  return `…${(space === -1 || /\s/.test(text[text.length - CONTEXT_CHARS - 1]) ? tail : tail.slice(space + 1)).trimStart()}`;
}

/**
 * The visible text of `discarded` that lies past `serverStateVector` (Y.encodeStateVector of a
 * copy synced with the server after the refusal), in document order.
 */
export function findUnsavedText(discarded: Y.Doc, serverStateVector: Uint8Array, now = Date.now()): UnsavedText {
  const known = Y.decodeStateVector(serverStateVector);
  const passages: UnsavedPassage[] = [];
  let current: UnsavedPassage | null = null;
  let context = '';
  let breakPending = false;
  let total = 0;
  let truncated = false;

  const add = (text: string, lost: boolean): void => {
    if (text.length === 0) return;
    if (!lost) {
      if (current) passages.push(current);
      current = null;
      context = ((context && breakPending ? `${context} ` : context) + text).slice(-2 * CONTEXT_CHARS);
      breakPending = false;
      return;
    }
    if (truncated) return;
    const room = MAX_UNSAVED_CHARS - total;
    const piece = text.length > room ? text.slice(0, room) : text;
    truncated = piece.length < text.length;
    total += piece.length;
    if (current) current.text += (breakPending ? '\n' : '') + piece;
    else current = { before: lastWords(context), text: piece };
    breakPending = false;
  };
  /** A block starts or ends: text on both sides is not one run. */
  const blockEdge = (): void => {
    breakPending = true;
  };
  /** Where in `item` the server's knowledge ends (its length when the server has all of it). */
  const lostFrom = (item: Y.Item): number => Math.min(item.length, Math.max(0, (known.get(item.id.client) ?? 0) - item.id.clock));

  /** Any shared type (fragment, element, text): only its list of items is read. */
  const walk = (type: { _start: Y.Item | null }): void => {
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (content instanceof Y.ContentString) {
        const from = lostFrom(item);
        add(content.str.slice(0, from), false);
        add(content.str.slice(from), true);
      } else if (content instanceof Y.ContentType) {
        blockEdge();
        walk(content.type);
        blockEdge();
      }
    }
  };
  walk(discarded.getXmlFragment(YName.body));
  if (current) passages.push(current);
  return { at: now, passages: passages.filter((p) => p.text.trim().length > 0), truncated };
}

/**
 * What the discarded copy (its state, from `CollabConnection.discard`) held that the server does
 * not, once `fresh` (a connection opened after the discard, without an offline copy) has synced.
 */
export async function recoverUnsavedText(discardedState: Uint8Array, fresh: { whenSynced(): Promise<void>; doc: Y.Doc }): Promise<UnsavedText> {
  await fresh.whenSynced();
  const discarded = new Y.Doc();
  try {
    Y.applyUpdate(discarded, discardedState);
    return findUnsavedText(discarded, Y.encodeStateVector(fresh.doc));
  } finally {
    discarded.destroy();
  }
}

/** All passages as one text, for the clipboard. */
export function unsavedAsText(unsaved: UnsavedText): string {
  return unsaved.passages.map((passage) => passage.text).join('\n\n');
}

const PREFIX = 'minga-unsaved:';

/** The storage key of one person's recovered text in one plan. */
export function unsavedKey(userId: string, documentId: string): string {
  return `${PREFIX}${userId}:${documentId}`;
}

function isUnsavedText(value: unknown): value is UnsavedText {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<UnsavedText>;
  return typeof v.at === 'number' && Array.isArray(v.passages) && v.passages.every((p: Partial<UnsavedPassage>) => typeof p?.before === 'string' && typeof p?.text === 'string');
}

/** Recovered text kept in this browser, per person and plan, until the person dismisses it. */
export class UnsavedTextStore {
  constructor(
    private readonly key: string,
    private readonly storage: Storage | null = browserStorage(),
  ) {}

  /** What is kept (earlier recoveries' passages first), or null. Unreadable contents count as nothing. */
  read(): UnsavedText | null {
    const value = readStoredJson(this.storage, this.key);
    return isUnsavedText(value) ? { at: value.at, passages: value.passages, truncated: value.truncated === true } : null;
  }

  /**
   * Add a recovery to what is kept (a second refusal before the first was dismissed keeps both)
   * and return everything kept. When storage refuses, the page still shows it.
   */
  keep(recovered: UnsavedText): UnsavedText {
    const earlier = this.read();
    const merged: UnsavedText = earlier
      ? { at: recovered.at, passages: [...earlier.passages, ...recovered.passages], truncated: earlier.truncated || recovered.truncated }
      : recovered;
    writeStoredJson(this.storage, this.key, merged, 'text the server did not keep');
    return merged;
  }

  dismiss(): void {
    writeStoredJson(this.storage, this.key, null, 'text the server did not keep');
  }
}

/** Forget every person's recovered text in this browser (on sign-out). */
export function clearUnsavedTexts(storage: Storage | null = browserStorage()): void {
  removeStoredWithPrefix(storage, PREFIX);
}
