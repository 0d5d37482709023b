/** A round badge with a person's initials in their delegation colour. */

/** Up to two initials of a name ("María Pérez" → "MP"). */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = Array.from(parts[0])[0] ?? '';
  const last = parts.length > 1 ? (Array.from(parts[parts.length - 1])[0] ?? '') : '';
  return (first + last).toUpperCase();
}

interface AvatarProps {
  name: string;
  color: string;
  /** Accessible label; when absent the avatar is decorative (the name is next to it). */
  label?: string;
  size?: 'small' | 'normal';
}

/** Initials badge; pass `label` when no visible name accompanies it. */
export function Avatar({ name, color, label, size = 'normal' }: AvatarProps) {
  return (
    <span
      className={`avatar avatar--${size}`}
      style={{ backgroundColor: color }}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      title={label}
    >
      {initials(name)}
    </span>
  );
}
