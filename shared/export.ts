/**
 * What the server and the browser agree on about exports and imports: formats, options, the
 * shape of an export job, and the codes of what an import could not bring in.
 */

/** Formats a plan can be exported to. */
export const EXPORT_FORMATS = ['docx', 'pdf', 'md', 'html'] as const;
/** One export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Media type of each export format. */
export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Languages an exported file's own words (title page, page numbers) can be in. */
export const EXPORT_LANGUAGES = ['es', 'en'] as const;
/** One export language. */
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

/** What a person chooses when exporting. */
export interface ExportOptions {
  format: ExportFormat;
  /** A captured version's id; absent for the plan as it is now. */
  version?: string;
  /** Open comment threads: native Word comments (DOCX), a list at the end (HTML, PDF, Markdown). */
  comments: boolean;
  /**
   * Open suggestions: tracked changes (DOCX), marked insertions/deletions (HTML, PDF, Markdown).
   * When false the plan is exported as it stands without them (proposed text left out).
   */
  suggestions: boolean;
  /** Language of the file's own words. */
  lang: ExportLanguage;
}

/** Where an export job is. */
export type ExportJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** An export job as the API describes it. */
export interface ExportJob {
  id: string;
  format: ExportFormat;
  status: ExportJobStatus;
  /** 0 to 1. */
  progress: number;
  /** What the job is doing now: reading, converting, rendering, done. */
  stage: string;
  fileName: string | null;
  bytes: number | null;
  error: { code: string; message: string } | null;
  /** Where to download the file once done. */
  downloadUrl: string | null;
}

/** Largest file an import accepts, in bytes. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Formats a plan can be imported from. */
export const IMPORT_FORMATS = ['docx', 'md'] as const;
/** One import format. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Kinds of content an import could not bring into the plan. */
export const IMPORT_NOTE_CODES = [
  'images',
  'footnotes',
  'endnotes',
  'comments',
  'tracked-changes',
  'unsafe-links',
  'internal-links',
  'headings-deeper',
  'text-boxes',
  'equations',
  'headers-footers',
  'styles',
  'raw-html',
] as const;
/** One kind of content an import could not bring in. */
export type ImportNoteCode = (typeof IMPORT_NOTE_CODES)[number];

/** Something an import left out (or changed), with how many and a few examples. */
export interface ImportNote {
  code: ImportNoteCode;
  count: number;
  /** Up to a few examples (link targets, style names), for the person to find them. */
  examples: string[];
  /** The same in an English sentence, for API clients. */
  message: string;
}
