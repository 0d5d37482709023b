/**
 * Google Docs–style placement of thread cards beside the page: each card wants the height of
 * its passage; cards are pushed apart so none overlap; the active card sits exactly at its
 * passage and the others make room above and below it. Re-measured when the document,
 * the cards or the window change size.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Editor } from '@tiptap/react';

/** A card to place: where its passage starts (null for detached threads, placed last). */
export interface CardSlot {
  id: string;
  from: number | null;
}

/** Where each card goes, in pixels from the top of the track. */
export interface CardLayout {
  tops: ReadonlyMap<string, number>;
  height: number;
}

const GAP = 10;

/** Place cards of known heights near their wanted tops (pure, so it is unit-tested). */
export function placeCards(slots: ReadonlyArray<{ id: string; want: number | null; height: number }>, activeId: string | null): CardLayout {
  const order = [...slots].sort((a, b) => (a.want ?? Infinity) - (b.want ?? Infinity));
  const tops = new Array<number>(order.length);
  const active = order.findIndex((s) => s.id === activeId && s.want !== null);
  const forward = (from: number, floor: number) => {
    let next = floor;
    for (let i = from; i < order.length; i++) {
      const want = order[i].want ?? next;
      tops[i] = Math.max(want, next);
      next = tops[i] + order[i].height + GAP;
    }
  };
  if (active < 0) forward(0, 0);
  else {
    tops[active] = Math.max(0, order[active].want!);
    forward(active + 1, tops[active] + order[active].height + GAP);
    let ceiling = tops[active] - GAP;
    for (let i = active - 1; i >= 0; i--) {
      tops[i] = Math.min(order[i].want ?? ceiling, ceiling - order[i].height);
      ceiling = tops[i] - GAP;
    }
    // Not enough room above the active card: everything flows down from the top instead.
    if (order.length > 0 && tops[0] < 0) forward(0, 0);
  }
  const map = new Map<string, number>();
  let height = 0;
  order.forEach((slot, i) => {
    map.set(slot.id, Math.round(tops[i]));
    height = Math.max(height, tops[i] + slot.height);
  });
  return { tops: map, height: Math.ceil(height) };
}

function sameLayout(a: CardLayout, b: CardLayout): boolean {
  if (a.height !== b.height || a.tops.size !== b.tops.size) return false;
  for (const [id, top] of a.tops) if (b.tops.get(id) !== top) return false;
  return true;
}

/** Measure passages and cards and place the cards; `enabled` false leaves them in list flow. */
export function useCardLayout(editor: Editor, slots: readonly CardSlot[], activeId: string | null, enabled: boolean, revision: unknown) {
  const track = useRef<HTMLDivElement | null>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const [layout, setLayout] = useState<CardLayout>({ tops: new Map(), height: 0 });
  const frame = useRef<number | null>(null);
  const latest = useRef({ slots, activeId, enabled });
  latest.current = { slots, activeId, enabled };

  const measure = useCallback(() => {
    frame.current = null;
    const { slots: current, activeId: active, enabled: on } = latest.current;
    const element = track.current;
    if (!on || !element || editor.isDestroyed) return;
    const origin = element.getBoundingClientRect().top;
    const size = editor.state.doc.content.size;
    const measured = current.map((slot) => {
      let want: number | null = null;
      if (slot.from !== null && slot.from <= size) {
        try {
          want = editor.view.coordsAtPos(slot.from).top - origin;
        } catch {
          want = null;
        }
      }
      return { id: slot.id, want, height: cards.current.get(slot.id)?.offsetHeight ?? 0 };
    });
    const next = placeCards(measured, active);
    setLayout((previous) => (sameLayout(previous, next) ? previous : next));
  }, [editor]);

  const schedule = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(measure);
  }, [measure]);

  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    observer.current = new ResizeObserver(schedule);
    for (const element of cards.current.values()) observer.current.observe(element);
    observer.current.observe(editor.view.dom);
    window.addEventListener('resize', schedule);
    return () => {
      observer.current?.disconnect();
      observer.current = null;
      window.removeEventListener('resize', schedule);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [editor, schedule]);

  useLayoutEffect(schedule, [schedule, slots, activeId, enabled, revision]);

  // One stable ref callback per card, so re-renders do not detach and re-observe every card.
  const refCallbacks = useRef(new Map<string, (element: HTMLElement | null) => void>());
  const cardRef = useCallback((id: string) => {
    let callback = refCallbacks.current.get(id);
    if (!callback) {
      callback = (element: HTMLElement | null) => {
        const previous = cards.current.get(id);
        if (previous && previous !== element) observer.current?.unobserve(previous);
        if (element) {
          cards.current.set(id, element);
          observer.current?.observe(element);
        } else cards.current.delete(id);
      };
      refCallbacks.current.set(id, callback);
    }
    return callback;
  }, []);

  return { track, layout, cardRef, relayout: schedule };
}
