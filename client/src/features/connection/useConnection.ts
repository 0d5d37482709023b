/** React bindings for a CollabConnection: its snapshot and its notices. */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { Notice } from '../../../../shared/protocol.ts';
import type { CollabConnection, ConnectionSnapshot } from './collabConnection.ts';

/** The live connection snapshot, re-rendering when it changes. */
export function useConnectionSnapshot(connection: CollabConnection): ConnectionSnapshot {
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}

/** Call `handler` for every Minga notice; the latest handler is used without resubscribing. */
export function useNotices(connection: CollabConnection, handler: (notice: Notice) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => connection.onNotice((notice) => latest.current(notice)), [connection]);
}
