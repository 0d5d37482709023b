/**
 * Message text: @mentions and links. Bodies are plain text; these helpers only split them into
 * segments that the UI renders as text, mention chips or links (only URLs that pass the plan's
 * link policy), and find the "@query" being typed for the autocomplete.
 */
import { isSafeHref } from '../../../../shared/links.ts';

/** A piece of a message body, in order. */
export type BodySegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; userId: string };

/** A person who can be mentioned. */
export interface MentionCandidate {
  userId: string;
  name: string;
  delegation: string;
  color: string;
}

const URL_PATTERN = /(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}»"']+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Split a body into text, links and mentions of the given people. */
export function bodySegments(body: string, mentioned: ReadonlyArray<{ userId: string; name: string }>): BodySegment[] {
  // Longest names first so "@Ana María" wins over "@Ana".
  const people = [...mentioned].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const namePattern = people.map((p) => `@${escapeRegExp(p.name)}`).join('|');
  const pattern = new RegExp(namePattern ? `${URL_PATTERN.source}|${namePattern}` : URL_PATTERN.source, 'gi');
  const segments: BodySegment[] = [];
  let last = 0;
  const pushText = (text: string) => {
    if (!text) return;
    const previous = segments[segments.length - 1];
    if (previous?.kind === 'text') previous.text += text;
    else segments.push({ kind: 'text', text });
  };
  for (const match of body.matchAll(pattern)) {
    const index = match.index ?? 0;
    let token = match[0];
    pushText(body.slice(last, index));
    if (token.startsWith('@')) {
      const person = people.find((p) => `@${p.name}`.toLowerCase() === token.toLowerCase());
      if (person) segments.push({ kind: 'mention', text: token, userId: person.userId });
      else pushText(token);
    } else {
      const trailing = TRAILING_PUNCTUATION.exec(token)?.[0] ?? '';
      token = token.slice(0, token.length - trailing.length);
      if (token && isSafeHref(token)) segments.push({ kind: 'link', text: token, href: token });
      else pushText(token);
      pushText(trailing);
    }
    last = index + match[0].length;
  }
  pushText(body.slice(last));
  return segments;
}

/** The "@query" just before the caret, if the person is typing a mention. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|[\s(])@([\p{L}\p{N}._'-]*(?: [\p{L}\p{N}._'-]*)?)$/u.exec(before);
  if (!match) return null;
  const query = match[1];
  return { start: caret - query.length - 1, query };
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** People with a word of their name (or delegation) starting with the query, best matches first. */
export function matchCandidates(candidates: readonly MentionCandidate[], query: string, limit = 8): MentionCandidate[] {
  const q = fold(query.trim());
  const scored = candidates
    .map((c) => {
      const name = fold(c.name);
      const startsAWord = (text: string) => text.split(/[\s·,/-]+/).some((word) => word.startsWith(q));
      const score = !q ? 1 : name.startsWith(q) ? 3 : startsAWord(name) ? 2 : startsAWord(fold(c.delegation)) ? 1 : 0;
      return { c, score };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.c.name.localeCompare(b.c.name));
  return scored.slice(0, limit).map((s) => s.c);
}

/** User ids of chosen people whose "@Name" is still in the body (deleted mentions drop out). */
export function mentionsInBody(body: string, chosen: readonly MentionCandidate[]): string[] {
  const lower = body.toLowerCase();
  return [...new Set(chosen.filter((p) => lower.includes(`@${p.name.toLowerCase()}`)).map((p) => p.userId))];
}
