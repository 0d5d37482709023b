/** Turning failures into a sentence a person can act on. */
import { ApiError, NETWORK_ERROR } from '../lib/api.ts';
import type { Translate } from '../features/i18n/i18n.tsx';

/** The server's own message when it gave one, otherwise a plain explanation. */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.status === NETWORK_ERROR) return t('error.network');
    if (error.message) return error.message;
  }
  if (error instanceof Error && error.message) return error.message;
  return t('error.title');
}
