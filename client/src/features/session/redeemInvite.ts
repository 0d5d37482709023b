/** Reading and redeeming the invite token carried in the URL fragment of /invite#<token>. */
import { api } from '../../lib/api.ts';

/** The token in the address bar's fragment, or null when the link was cut short. */
export function inviteTokenFromLocation(hash: string = location.hash): string | null {
  const token = decodeURIComponent(hash.replace(/^#/, '')).trim();
  return token.length > 0 ? token : null;
}

/**
 * Redeem a token and return the plan it opens. The caller replaces the address right after,
 * so the token does not stay in the address bar or the history.
 */
export async function redeemInvite(token: string): Promise<string> {
  const { documentId } = await api.redeemInvite(token);
  return documentId;
}
