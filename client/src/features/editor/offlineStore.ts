/** Names and clean-up of the offline copies that y-indexeddb keeps in this browser. */
import { clearDocument } from 'y-indexeddb';

const PREFIX = 'minga-';

/** The IndexedDB database name of a plan's offline copy. */
export function offlineStoreName(documentId: string): string {
  return `${PREFIX}${documentId}`;
}

/** Delete every plan copy kept in this browser (on sign-out, so a shared computer keeps nothing). */
export async function clearOfflineCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  try {
    const databases = await indexedDB.databases();
    await Promise.all(
      databases
        .map((db) => db.name)
        .filter((name): name is string => typeof name === 'string' && name.startsWith(PREFIX))
        .map((name) => clearDocument(name)),
    );
  } catch (error) {
    // Signing out must not fail because the browser refused to list its databases.
    console.warn('Could not clear offline copies', error);
  }
}
