/** "Editar" / "Sugerir": how this person's typing lands in the plan. */
import { useT } from '../i18n/i18n.tsx';

/** The two ways of writing. */
export type WritingMode = 'edit' | 'suggest';

interface Props {
  mode: WritingMode;
  onChange: (mode: WritingMode) => void;
  /** Whether the person may edit directly (otherwise suggestion is the only mode). */
  canEdit: boolean;
}

/** A two-option radio group; suggesters see "Editar" unavailable with the reason. */
export function SuggestModeSwitch({ mode, onChange, canEdit }: Props) {
  const { t } = useT();
  return (
    <div className="mode-switch" role="radiogroup" aria-label={t('suggestions.mode')}>
      <button
        type="button"
        role="radio"
        aria-checked={mode === 'edit'}
        className="mode-switch__option"
        disabled={!canEdit}
        title={canEdit ? t('suggestions.editHint') : t('suggestions.editNotAllowed')}
        onClick={() => onChange('edit')}
      >
        {t('suggestions.edit')}
      </button>
      <button type="button" role="radio" aria-checked={mode === 'suggest'} className="mode-switch__option" title={t('suggestions.suggestHint')} onClick={() => onChange('suggest')}>
        {t('suggestions.suggest')}
      </button>
    </div>
  );
}
