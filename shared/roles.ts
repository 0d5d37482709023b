/** Roles of a participant on one plan, and what each may do (PRODUCT.md role matrix). */

export const ROLES = ['owner', 'editor', 'suggester', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Every capability of the role matrix, by name. */
export type Capability =
  | 'editText'
  | 'suggest'
  | 'decideSuggestions'
  | 'comment'
  | 'resolveAnyThread'
  | 'resolveOwnThread'
  | 'captureVersion'
  | 'view'
  | 'manage';

const MATRIX: Record<Role, readonly Capability[]> = {
  owner: ['editText', 'suggest', 'decideSuggestions', 'comment', 'resolveAnyThread', 'resolveOwnThread', 'captureVersion', 'view', 'manage'],
  editor: ['editText', 'suggest', 'decideSuggestions', 'comment', 'resolveAnyThread', 'resolveOwnThread', 'captureVersion', 'view'],
  suggester: ['suggest', 'comment', 'resolveOwnThread', 'view'],
  commenter: ['comment', 'resolveOwnThread', 'view'],
  viewer: ['view'],
};

/** Whether a role has a capability. */
export function can(role: Role, capability: Capability): boolean {
  return MATRIX[role].includes(capability);
}

/** Type guard for untrusted role strings. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
