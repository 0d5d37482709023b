import { describe, expect, it } from 'vitest';
import type { Thread, ThreadMessage } from '../shared/threads.ts';
import { bodySegments, matchCandidates, mentionQueryAt, mentionsInBody, type MentionCandidate } from '../client/src/features/comments/mentions.ts';
import { matchesFilter } from '../client/src/features/comments/threadFilters.ts';
import { placeCards } from '../client/src/features/comments/useCardLayout.ts';

const lucia: MentionCandidate = { userId: 'u-lucia', name: 'Lucía MITRADEL', delegation: 'Panamá · MITRADEL', color: '#1f5fbf' };
const ana: MentionCandidate = { userId: 'u-ana', name: 'Ana', delegation: 'OEA', color: '#2e7d32' };
const anaMaria: MentionCandidate = { userId: 'u-anam', name: 'Ana María', delegation: 'Perú · MTPE', color: '#c8102e' };

describe('message bodies', () => {
  it('only http(s) and mailto URLs become links; markup and javascript: stay text', () => {
    const body = '<img src=x onerror=alert(1)> javascript:alert(1) see https://example.org/a?b=1). mailto:x@y.org';
    const segments = bodySegments(body, []);
    expect(segments.filter((s) => s.kind === 'link').map((s) => s.text)).toEqual(['https://example.org/a?b=1', 'mailto:x@y.org']);
    expect(segments.map((s) => s.text).join('')).toBe(body);
    expect(segments.find((s) => s.text.includes('javascript:'))?.kind).toBe('text');
  });

  it('mentions match the longest mentioned name and only mentioned people', () => {
    const segments = bodySegments('@Ana María y @Ana, no @Lucía MITRADEL', [ana, anaMaria]);
    expect(segments.filter((s) => s.kind === 'mention').map((s) => [s.text, s.kind === 'mention' && s.userId])).toEqual([
      ['@Ana María', 'u-anam'],
      ['@Ana', 'u-ana'],
    ]);
  });

  it('finds the @query before the caret and ranks people by name', () => {
    expect(mentionQueryAt('Hola @Luc', 9)).toEqual({ start: 5, query: 'Luc' });
    expect(mentionQueryAt('correo@dominio', 14)).toBeNull();
    expect(mentionQueryAt('@Ana Ma', 7)).toEqual({ start: 0, query: 'Ana Ma' });
    expect(matchCandidates([lucia, ana, anaMaria], 'luc').map((p) => p.userId)).toEqual(['u-lucia']);
    expect(matchCandidates([lucia, ana, anaMaria], 'ana').map((p) => p.userId)).toEqual(['u-ana', 'u-anam']);
    expect(matchCandidates([lucia, ana, anaMaria], 'maria').map((p) => p.userId)).toEqual(['u-anam']);
    expect(mentionsInBody('Gracias @Lucía MITRADEL', [lucia, ana])).toEqual(['u-lucia']);
  });
});

function thread(patch: Partial<Thread>, messages: Array<Partial<ThreadMessage>> = []): Thread {
  const author = { id: 'u-lucia', name: 'Lucía', delegation: 'Panamá · MITRADEL', color: '#1f5fbf' };
  return {
    id: 't1',
    kind: 'comment',
    author,
    createdAt: '2024-05-24T15:00:00.000Z',
    anchor: null,
    quote: 'q',
    status: 'open',
    events: [],
    ...patch,
    messages: messages.map((m, i) => ({ id: `m${i}`, author, body: 'b', mentions: [], createdAt: '2024-05-24T15:00:00.000Z', editedAt: null, deletedAt: null, ...m })),
  };
}

describe('thread filters', () => {
  it('open, resolved, mine, for me and by delegation', () => {
    const mentioned = thread({ status: 'resolved' }, [{}, { author: { id: 'u-marta', name: 'Marta', delegation: 'Perú · MTPE', color: '#c8102e' }, mentions: ['u-olga'] }]);
    expect(matchesFilter(mentioned, 'open', 'u-olga', '')).toBe(false);
    expect(matchesFilter(mentioned, 'resolved', 'u-olga', '')).toBe(true);
    expect(matchesFilter(mentioned, 'forMe', 'u-olga', '')).toBe(true);
    expect(matchesFilter(mentioned, 'mine', 'u-marta', '')).toBe(true);
    expect(matchesFilter(mentioned, 'mine', 'u-olga', '')).toBe(false);
    expect(matchesFilter(mentioned, 'forMe', 'u-olga', 'OEA')).toBe(false);
    // A deleted message no longer mentions anyone.
    const deleted = thread({}, [{ mentions: ['u-olga'], deletedAt: '2024-05-25T00:00:00.000Z' }]);
    expect(matchesFilter(deleted, 'forMe', 'u-olga', '')).toBe(false);
  });
});

describe('card placement beside passages', () => {
  it('cards sit at their passage, pushed down to avoid overlap; detached ones go last', () => {
    const { tops } = placeCards(
      [
        { id: 'a', want: 100, height: 80 },
        { id: 'b', want: 120, height: 50 },
        { id: 'gone', want: null, height: 40 },
        { id: 'c', want: 400, height: 60 },
      ],
      null,
    );
    expect(Object.fromEntries(tops)).toEqual({ a: 100, b: 190, c: 400, gone: 470 });
  });

  it('the active card sits exactly at its passage and the ones above make room', () => {
    const { tops } = placeCards(
      [
        { id: 'a', want: 100, height: 80 },
        { id: 'b', want: 120, height: 50 },
      ],
      'b',
    );
    expect(Object.fromEntries(tops)).toEqual({ a: 30, b: 120 });
    // Not enough room above: everything flows down from the top instead.
    expect(Object.fromEntries(placeCards([{ id: 'a', want: 0, height: 80 }, { id: 'b', want: 20, height: 50 }], 'b').tops)).toEqual({ a: 0, b: 90 });
  });
});
