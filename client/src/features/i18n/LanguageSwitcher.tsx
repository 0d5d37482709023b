/** A select that switches the UI language; the choice is remembered on this device. */
import { useId } from 'react';
import { LANGUAGES, type Language } from './dictionary.ts';
import { useT } from './i18n.tsx';

/** Language select for the top bar. */
export function LanguageSwitcher() {
  const { lang, setLang, t } = useT();
  const id = useId();
  return (
    <span className="lang-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('lang.label')}
      </label>
      <select id={id} value={lang} onChange={(event) => setLang(event.target.value as Language)}>
        {LANGUAGES.map((code) => (
          // Each language is named in itself so a person who cannot read the current one finds theirs.
          <option key={code} value={code} lang={code}>
            {t(code === 'es' ? 'lang.es' : 'lang.en')}
          </option>
        ))}
      </select>
    </span>
  );
}
