/** What an import left out or changed, collected while converting, for the person to see. */
import type { ImportNote, ImportNoteCode } from '../../shared/export.ts';

const MESSAGES: Record<ImportNoteCode, string> = {
  images: 'Images are not imported; add them to the ministry’s channels separately.',
  footnotes: 'Footnotes are not imported.',
  endnotes: 'Endnotes are not imported.',
  comments: 'Word comments are not imported.',
  'tracked-changes': 'Tracked changes are not imported as suggestions: insertions were kept as text and deletions left out.',
  'unsafe-links': 'Links that are not http, https or mailto were removed (their text was kept).',
  'internal-links': 'Links to places inside the document were removed (their text was kept).',
  'headings-deeper': 'Headings below level 3 were imported as level 3 headings.',
  'text-boxes': 'Text in text boxes and shapes may be missing.',
  equations: 'Equations are not imported.',
  'headers-footers': 'Page headers and footers are not imported.',
  styles: 'Some paragraph or character styles are not known to the plan editor; their text was imported as normal text.',
  'raw-html': 'HTML written inside the Markdown file was imported as plain text.',
};

/** Most examples kept per kind. */
const MAX_EXAMPLES = 5;

/** Collects import notes by kind. */
export class ImportNotes {
  private readonly notes = new Map<ImportNoteCode, { count: number; examples: string[] }>();

  /** Record `count` more of a kind, with an optional example. */
  add(code: ImportNoteCode, count = 1, example?: string): void {
    if (count <= 0) return;
    const note = this.notes.get(code) ?? { count: 0, examples: [] };
    note.count += count;
    const clean = example?.trim().slice(0, 200);
    if (clean && note.examples.length < MAX_EXAMPLES && !note.examples.includes(clean)) note.examples.push(clean);
    this.notes.set(code, note);
  }

  /** Every note, in a stable order. */
  list(): ImportNote[] {
    return [...this.notes].map(([code, note]) => ({ code, count: note.count, examples: note.examples, message: MESSAGES[code] }));
  }
}
