/** Role names in the UI's language. */
import { ROLES, type Role } from '../../../../shared/roles.ts';
import type { MessageKey } from '../i18n/dictionary.ts';
import type { Translate } from '../i18n/i18n.tsx';

const ROLE_KEYS: Record<Role, MessageKey> = {
  owner: 'role.owner',
  editor: 'role.editor',
  suggester: 'role.suggester',
  commenter: 'role.commenter',
  viewer: 'role.viewer',
};

/** The translated name of a role. */
export function roleLabel(role: Role | string, t: Translate): string {
  const key = ROLE_KEYS[role as Role] as MessageKey | undefined;
  // A role this client does not know yet is shown as the server names it, rather than crashing.
  return key ? t(key) : role;
}

/** Every role with its translated name, for selects. */
export function roleOptions(t: Translate): Array<{ value: Role; label: string }> {
  return ROLES.map((role) => ({ value: role, label: roleLabel(role, t) }));
}
