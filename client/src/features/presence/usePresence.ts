/**
 * Who is in the plan, from the provider's awareness states. The server overwrites every
 * state's `user` with the session's identity, so these names can be trusted as the server's.
 */
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

/** A person present in the document (one entry even with several tabs open). */
export interface PresentPerson {
  id: string;
  name: string;
  delegation: string;
  color: string;
  role: string | null;
  isSelf: boolean;
}

interface AwarenessUser {
  id?: unknown;
  name?: unknown;
  delegation?: unknown;
  color?: unknown;
  role?: unknown;
}

function readPeople(awareness: Awareness, selfId: string): PresentPerson[] {
  const byId = new Map<string, PresentPerson>();
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: AwarenessUser }).user;
    if (!user || typeof user.name !== 'string') return;
    // Older or foreign clients may lack an id; fall back to the Yjs client id so they still show.
    const id = typeof user.id === 'string' ? user.id : `client-${clientId}`;
    const isSelf = clientId === awareness.clientID || id === selfId;
    const existing = byId.get(id);
    if (existing) {
      existing.isSelf ||= isSelf;
      return;
    }
    byId.set(id, {
      id,
      name: user.name,
      delegation: typeof user.delegation === 'string' ? user.delegation : '',
      color: typeof user.color === 'string' ? user.color : '#666',
      role: typeof user.role === 'string' ? user.role : null,
      isSelf,
    });
  });
  // Yourself first, then by name, so the list does not jump around as people come and go.
  return [...byId.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}

function samePeople(a: PresentPerson[], b: PresentPerson[]): boolean {
  return a.length === b.length && a.every((p, i) => p.id === b[i].id && p.name === b[i].name && p.delegation === b[i].delegation && p.color === b[i].color && p.role === b[i].role && p.isSelf === b[i].isSelf);
}

/** The people present in a plan, updated as awareness changes. */
export function usePresence(awareness: Awareness, selfId: string): PresentPerson[] {
  const [people, setPeople] = useState(() => readPeople(awareness, selfId));
  useEffect(() => {
    // 'change' also fires when a caret moves (every keystroke, one's own included): keep the
    // same array unless someone arrived, left or changed, so the editor screen does not re-render.
    const update = () => setPeople((previous) => {
      const next = readPeople(awareness, selfId);
      return samePeople(previous, next) ? previous : next;
    });
    update();
    // 'change' (not 'update') fires only when someone arrives, leaves or changes their state.
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness, selfId]);
  return people;
}
