/** The exported files' own words (title page, page numbers, comment list), Spanish first. */
import type { ExportLanguage } from '../../shared/export.ts';

/** Time zone of the sample cooperation's calendar (PRODUCT.md); dates on title pages use it. */
export const EXPORT_TIME_ZONE = 'America/Lima';

/** Words of one language. */
export interface ExportWords {
  currentPlan: string;
  version: string;
  exportedOn: string;
  page: string;
  of: string;
  comments: string;
  unanchored: string;
  suggestionBy: string;
  /** A date as a person reads it. */
  date(iso: string): string;
  /** Date and time, for comment messages. */
  dateTime(iso: string): string;
}

const formatDate = (locale: string, iso: string, withTime: boolean): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: EXPORT_TIME_ZONE }).format(date);
};

const WORDS: Record<ExportLanguage, Omit<ExportWords, 'date' | 'dateTime'> & { locale: string }> = {
  es: {
    locale: 'es-PE',
    currentPlan: 'Plan actual',
    version: 'Versión',
    exportedOn: 'Exportado el',
    page: 'Página',
    of: 'de',
    comments: 'Comentarios abiertos',
    unanchored: 'pasaje eliminado',
    suggestionBy: 'Sugerencia de',
  },
  en: {
    locale: 'en-GB',
    currentPlan: 'Current plan',
    version: 'Version',
    exportedOn: 'Exported on',
    page: 'Page',
    of: 'of',
    comments: 'Open comments',
    unanchored: 'passage deleted',
    suggestionBy: 'Suggestion by',
  },
};

/** The words of an export language. */
export function exportWords(lang: ExportLanguage): ExportWords {
  const { locale, ...words } = WORDS[lang];
  return { ...words, date: (iso) => formatDate(locale, iso, false), dateTime: (iso) => formatDate(locale, iso, true) };
}
