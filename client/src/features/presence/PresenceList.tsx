/** Avatars of the people in the plan, each named (name · delegation) for screen readers. */
import './presence.css';
import { Avatar } from '../../ui/Avatar.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { PresentPerson } from './usePresence.ts';

/** Everyone present, as a labelled list of coloured initials. */
export function PresenceList({ people }: { people: PresentPerson[] }) {
  const { t } = useT();
  const shown = people.slice(0, 6);
  const hidden = people.slice(6);
  return (
    <ul className="presence" aria-label={t('presence.label')}>
      {shown.map((person) => {
        const label = `${t('presence.person', { name: person.name, delegation: person.delegation })}${person.isSelf ? ` ${t('presence.you')}` : ''}`;
        return (
          <li key={person.id} className="presence__person" title={label}>
            <Avatar name={person.name} color={person.color} />
            {/* Real text rather than aria-label, so the names are in the page for everyone. */}
            <span className="visually-hidden">{label}</span>
          </li>
        );
      })}
      {hidden.length > 0 && (
        <li className="presence__more" title={hidden.map((person) => person.name).join(', ')}>
          +{hidden.length}
          <span className="visually-hidden">: {hidden.map((person) => `${person.name} · ${person.delegation}`).join(', ')}</span>
        </li>
      )}
    </ul>
  );
}
