/**
 * DOCX export with the `docx` package: Word heading styles with outline levels (so Word's
 * navigation pane shows the plan's outline), nested bullet and numbered lists, tables with a
 * repeated header row, external hyperlinks, a title page, page numbers; optionally open comment
 * threads as native Word comments (replies threaded) and open suggestions as native tracked
 * changes carrying their author and date.
 */
import {
  AlignmentType,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  UnderlineType,
  WidthType,
  type ICommentOptions,
  type ILevelsOptions,
  type IParagraphOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { formatMarkList, SuggestionMark, type BlockTypeChangeAttrs, type SuggestionAttrs } from '../../shared/suggestion-marks.ts';
import { BLOCK_TYPE_ATTR } from '../../shared/suggestions.ts';
import type { PlanModel } from './plan-model.ts';
import { exportWords, type ExportWords } from './words.ts';

/** What a DOCX export includes beyond the text. */
export interface DocxOptions {
  comments: boolean;
  suggestions: boolean;
  onProgress?: (fraction: number) => void;
}

/** A4 in twentieths of a point, with 2.5 cm margins. */
const PAGE = { width: 11906, height: 16838, margin: 1418 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BULLETS = 'minga-bullets';
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

/** The Word heading style of a plan heading level (kept to 1–3: a stored value is data). */
function headingStyle(level: unknown): (typeof HEADINGS)[number] {
  return HEADINGS[Math.min(Math.max(Number(level) || 1, 1), 3) - 1];
}
const MONO = 'Consolas';

/** A comment marker to place at a document position. */
interface CommentEvent {
  pos: number;
  kind: 'start' | 'end';
  ids: number[];
}

/** Formatting that surrounding blocks impose on their text (table header cells are bold). */
interface InlineContext {
  bold?: boolean;
  font?: string;
  /** Inside a block quote: indented, with a rule on the left. */
  quote?: boolean;
}

/** List nesting of the paragraphs being written. */
interface ListContext {
  reference: string;
  level: number;
  instance: number;
}

/** Walks a plan's ProseMirror document and builds the docx model. */
class DocxWriter {
  private readonly words: ExportWords;
  /** Revision ids start far above comment ids: Word wants annotation ids unique across kinds. */
  private revision = 100_000;
  private instance = 1;
  private readonly orderedStarts = new Set<number>();
  private readonly events: CommentEvent[] = [];
  private nextEvent = 0;
  readonly comments: ICommentOptions[] = [];
  /** Comment ids of threads whose passage is gone; they are attached to the title. */
  private readonly unanchored: number[] = [];

  constructor(
    private readonly model: PlanModel,
    private readonly options: DocxOptions,
  ) {
    this.words = exportWords(model.lang);
    if (options.comments) this.prepareComments();
  }

  /** Turn each open thread into Word comments (first message, then replies) and their markers. */
  private prepareComments(): void {
    let id = 0;
    for (const { thread, range } of this.model.threads) {
      const ids: number[] = [];
      const messages = thread.messages.filter((message) => !message.deletedAt);
      messages.forEach((message, index) => {
        const lead = index === 0 && !range ? `(${this.words.unanchored}) «${thread.quote}» — ` : '';
        this.comments.push({
          id,
          author: xmlSafe(message.author.name),
          initials: initials(message.author.name),
          date: new Date(message.createdAt),
          ...(index > 0 ? { parentId: ids[0] } : {}),
          children: [new Paragraph({ children: [new TextRun(xmlSafe(lead + message.body))] })],
        });
        ids.push(id++);
      });
      if (ids.length === 0) continue;
      if (range) this.events.push({ pos: range.from, kind: 'start', ids }, { pos: range.to, kind: 'end', ids });
      else this.unanchored.push(...ids);
    }
    this.events.sort((a, b) => a.pos - b.pos || (a.kind === 'end' ? -1 : 1));
  }

  /** Comment markers due at or before a position. */
  private markersUntil(pos: number): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    while (this.nextEvent < this.events.length && this.events[this.nextEvent].pos <= pos) {
      out.push(...markers(this.events[this.nextEvent++]));
    }
    return out;
  }

  /** The title page: plan name, "Plan actual" or the version's name, and the date. */
  titlePage(): Paragraph[] {
    const unanchored = this.unanchored.map((id) => new CommentRangeStart(id));
    const ends = this.unanchored.flatMap((id) => markers({ pos: 0, kind: 'end', ids: [id] }));
    return [
      new Paragraph({ heading: HeadingLevel.TITLE, spacing: { before: 3600, after: 480 }, children: [...unanchored, new TextRun(xmlSafe(this.model.title)), ...ends] }),
      new Paragraph({ spacing: { after: 240 }, children: [new TextRun({ text: this.model.versionLabel, size: 32, color: '1F3864' })] }),
      new Paragraph({ children: [new TextRun({ text: this.model.dateLabel, size: 24, color: '595959' })] }),
    ];
  }

  /** Every block of the plan body, reporting progress per top-level block. */
  body(): Array<Paragraph | Table> {
    const out: Array<Paragraph | Table> = [];
    const total = Math.max(1, this.model.doc.childCount);
    this.model.doc.forEach((node, offset, index) => {
      out.push(...this.block(node, offset, null, {}));
      this.options.onProgress?.((index + 1) / total);
    });
    // Markers past the last text (a passage reaching the very end) close in a last paragraph.
    const rest = this.markersUntil(Infinity);
    if (rest.length > 0) out.push(new Paragraph({ children: rest }));
    return out;
  }

  /** One block node at document position `pos`. */
  private block(node: PMNode, pos: number, list: ListContext | null, inline: InlineContext): Array<Paragraph | Table> {
    const name = node.type.name;
    if (name === 'paragraph') return [this.paragraph(node, pos, { ...(list ? { numbering: list } : {}), ...this.retypeRevision(node) }, inline)];
    if (name === 'heading') return [this.paragraph(node, pos, { heading: headingStyle(node.attrs.level), ...this.retypeRevision(node) }, inline)];
    if (name === 'bulletList' || name === 'orderedList') return this.list(node, pos, list);
    if (name === 'table') return [this.table(node, pos)];
    if (name === 'blockquote') return this.children(node, pos, list, { ...inline, quote: true });
    if (name === 'codeBlock') return [this.paragraph(node, pos, { shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } }, { ...inline, font: MONO })];
    if (name === 'horizontalRule') {
      return [new Paragraph({ children: this.markersUntil(pos), border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'A6A6A6', space: 1 } } })];
    }
    // Any other container: write its children in order so no text is lost.
    return this.children(node, pos, list, inline);
  }

  /** The block children of a container node whose position is `pos`. */
  private children(node: PMNode, pos: number, list: ListContext | null, inline: InlineContext): Array<Paragraph | Table> {
    const out: Array<Paragraph | Table> = [];
    node.forEach((child, offset) => out.push(...this.block(child, pos + 1 + offset, list, inline)));
    return out;
  }

  /** A bullet or numbered list; nested lists go one level deeper and numbered ones restart. */
  private list(node: PMNode, pos: number, outer: ListContext | null): Array<Paragraph | Table> {
    const level = outer ? Math.min(outer.level + 1, 8) : 0;
    let reference = BULLETS;
    if (node.type.name === 'orderedList') {
      const start = Math.max(0, Math.floor(Number(node.attrs.start ?? 1)) || 1);
      this.orderedStarts.add(start);
      reference = numberedReference(start);
    }
    const context: ListContext = { reference, level, instance: this.instance++ };
    const out: Array<Paragraph | Table> = [];
    node.forEach((item, itemOffset) => {
      const itemPos = pos + 1 + itemOffset;
      let first = true;
      item.forEach((child, childOffset) => {
        const childPos = itemPos + 1 + childOffset;
        if (child.type.name === 'paragraph') {
          // The first paragraph of an item carries its bullet or number; later ones line up with it.
          out.push(this.paragraph(child, childPos, first ? { numbering: context } : { indent: { left: 720 * (level + 1) } }, {}));
          first = false;
        } else if (child.type.name === 'bulletList' || child.type.name === 'orderedList') {
          out.push(...this.list(child, childPos, context));
        } else {
          out.push(...this.block(child, childPos, null, {}));
        }
      });
    });
    return out;
  }

  /** A table as wide as the text, its header rows repeated on every page. */
  private table(node: PMNode, pos: number): Table {
    const columns = Math.max(1, ...rowsOf(node).map((row) => row.cells.reduce((n, cell) => n + (Number(cell.attrs.colspan) || 1), 0)));
    const columnWidth = Math.floor(TEXT_WIDTH / columns);
    const rows = rowsOf(node).map(({ row, offset }) => {
      const rowPos = pos + 1 + offset;
      const header = row.childCount > 0 && everyChild(row, (cell) => cell.type.name === 'tableHeader');
      const cells: TableCell[] = [];
      row.forEach((cell, cellOffset) => {
        const cellPos = rowPos + 1 + cellOffset;
        const isHeader = cell.type.name === 'tableHeader';
        const span = Number(cell.attrs.colspan) || 1;
        const content = this.children(cell, cellPos, null, isHeader ? { bold: true } : {});
        cells.push(
          new TableCell({
            columnSpan: span,
            rowSpan: Number(cell.attrs.rowspan) || 1,
            width: { size: columnWidth * span, type: WidthType.DXA },
            ...(isHeader ? { shading: { type: ShadingType.CLEAR, fill: 'DEEAF6', color: 'auto' } } : {}),
            children: content.length > 0 ? content : [new Paragraph({})],
          }),
        );
      });
      // Only header rows say so: some readers take any tblHeader element, even val="off", as a header.
      return new TableRow({ ...(header ? { tableHeader: true } : {}), cantSplit: true, children: cells });
    });
    return new Table({
      width: { size: columnWidth * columns, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => columnWidth),
      rows,
    });
  }

  /**
   * A proposed block type (still there only when suggestions are exported) as Word's tracked
   * paragraph change: the properties it keeps are the paragraph's style before the proposal.
   */
  private retypeRevision(node: PMNode): Partial<IParagraphOptions> {
    const retype = node.attrs[BLOCK_TYPE_ATTR] as BlockTypeChangeAttrs | null | undefined;
    if (!retype) return {};
    const before = retype.fromType === 'heading' ? { heading: headingStyle(retype.fromLevel) } : {};
    return { revision: { id: this.revision++, author: xmlSafe(retype.authorName || 'Minga'), date: validDate(retype.createdAt), ...before } };
  }

  /** A paragraph-like node (paragraph, heading, code block) with its inline content. */
  private paragraph(node: PMNode, pos: number, props: Partial<IParagraphOptions>, inline: InlineContext): Paragraph {
    const quote: Partial<IParagraphOptions> = inline.quote
      ? { indent: { left: 567 }, border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'A6A6A6', space: 8 } } }
      : {};
    return new Paragraph({ ...quote, ...props, children: this.inline(node, pos, inline) });
  }

  /** Runs of a text block whose position is `pos`, with comment markers where passages start and end. */
  private inline(node: PMNode, pos: number, context: InlineContext): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    const contentStart = pos + 1;
    let link: { href: string; children: ParagraphChild[] } | null = null;
    const flushLink = (): void => {
      if (link) out.push(new ExternalHyperlink({ link: link.href, children: link.children }));
      link = null;
    };
    node.forEach((child, offset) => {
      const start = contentStart + offset;
      const href = child.marks.find((mark) => mark.type.name === 'link')?.attrs.href as string | undefined;
      if (!href || href !== link?.href) flushLink();
      if (href && !link) link = { href, children: [] };
      const target = (link as { children: ParagraphChild[] } | null)?.children ?? out;
      if (!child.isText) {
        target.push(...this.markersUntil(start));
        if (child.type.name === 'hardBreak') target.push(new TextRun({ break: 1 }));
        return;
      }
      // Split the text where comment passages start or end inside it.
      const text = child.text ?? '';
      let cut = 0;
      target.push(...this.markersUntil(start));
      while (this.nextEvent < this.events.length && this.events[this.nextEvent].pos < start + text.length) {
        const at = this.events[this.nextEvent].pos - start;
        if (at > cut) target.push(...this.runs(text.slice(cut, at), child.marks, context, Boolean(href)));
        cut = Math.max(cut, at);
        target.push(...this.markersUntil(start + cut));
      }
      target.push(...this.runs(text.slice(cut), child.marks, context, Boolean(href)));
    });
    flushLink();
    out.push(...this.markersUntil(contentStart + node.content.size));
    return out;
  }

  /** One piece of text as a run: plain, or a tracked insertion or deletion, or with a tracked formatting change. */
  private runs(text: string, marks: readonly Mark[], context: InlineContext, isLink: boolean): ParagraphChild[] {
    text = xmlSafe(text);
    if (!text) return [];
    const has = (name: string): boolean => marks.some((mark) => mark.type.name === name);
    const font = has('code') ? MONO : context.font;
    const formatting = (on: (name: string) => boolean) => ({
      ...(on('bold') || context.bold ? { bold: true } : {}),
      ...(on('italic') ? { italics: true } : {}),
      ...(on('underline') ? { underline: {} } : {}),
      ...(on('strike') ? { strike: true } : {}),
      ...(font ? { font } : {}),
      ...(isLink ? { style: 'Hyperlink' } : {}),
    });
    // Proposed formatting (still there only when suggestions are exported): Word's tracked
    // formatting change, whose properties are the run's as they were before the proposal.
    const format = marks.find((mark) => mark.type.name === SuggestionMark.format);
    let revision: IRunOptions['revision'];
    if (format) {
      const added = formatMarkList(format.attrs.added);
      const removed = formatMarkList(format.attrs.removed);
      const before = (name: string): boolean => (has(name) && !added.includes(name)) || removed.includes(name);
      const attrs = format.attrs as SuggestionAttrs;
      // What the proposal added is written as explicitly off before it: the change always has
      // properties (Word's schema requires them), and they say exactly what was different.
      const off = { bold: { bold: false }, italic: { italics: false }, underline: { underline: { type: UnderlineType.NONE } }, strike: { strike: false } } as const;
      const wasOff = Object.assign({}, ...added.filter((name) => !context.bold || name !== 'bold').map((name) => off[name as keyof typeof off]));
      revision = { id: this.revision++, author: xmlSafe(attrs.authorName || 'Minga'), date: validDate(attrs.createdAt), ...formatting(before), ...wasOff };
    }
    const run: IRunOptions = { text, ...formatting(has), ...(revision ? { revision } : {}) };
    const suggestion = marks.find((mark) => mark.type.name === SuggestionMark.insertion || mark.type.name === SuggestionMark.deletion);
    if (!suggestion) return [new TextRun(run)];
    const attrs = suggestion.attrs as SuggestionAttrs;
    const inserted = suggestion.type.name === SuggestionMark.insertion;
    // Without suggestions the plan reads as it stands: proposed text out, proposed deletions still there.
    if (!this.options.suggestions) return inserted ? [] : [new TextRun(run)];
    const change = { id: this.revision++, author: xmlSafe(attrs.authorName || 'Minga'), date: validDate(attrs.createdAt) };
    return [inserted ? new InsertedTextRun({ ...run, ...change }) : new DeletedTextRun({ ...run, ...change })];
  }

  /** Numbering definitions for bullets and for every starting number used. */
  numbering(): { config: Array<{ reference: string; levels: ILevelsOptions[] }> } {
    const indent = (level: number) => ({ paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } });
    const bullet = ['•', '◦', '▪'];
    const formats = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN];
    const levels = Array.from({ length: 9 }, (_, level) => level);
    return {
      config: [
        { reference: BULLETS, levels: levels.map((level) => ({ level, format: LevelFormat.BULLET, text: bullet[level % 3], alignment: AlignmentType.LEFT, style: indent(level) })) },
        ...[...this.orderedStarts].map((start) => ({
          reference: numberedReference(start),
          levels: levels.map((level) => ({ level, format: formats[level % 3], text: `%${level + 1}.`, start: level === 0 ? start : 1, alignment: AlignmentType.LEFT, style: indent(level) })),
        })),
      ],
    };
  }

  /**
   * The footer: "Página N de M", counting the title page (which shows no footer): LibreOffice
   * does not know Word's per-section page count field, so the whole document's is used.
   */
  footer(): Footer {
    return new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ children: [`${this.words.page} `, PageNumber.CURRENT, ` ${this.words.of} `, PageNumber.TOTAL_PAGES], size: 18, color: '595959' })],
        }),
      ],
    });
  }
}

/** Drop characters XML 1.0 cannot hold (a hand-made update could carry them; Word refuses such files). */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

function numberedReference(start: number): string {
  return `minga-numbers-${start}`;
}

function rowsOf(table: PMNode): Array<{ row: PMNode; offset: number; cells: PMNode[] }> {
  const rows: Array<{ row: PMNode; offset: number; cells: PMNode[] }> = [];
  table.forEach((row, offset) => {
    const cells: PMNode[] = [];
    row.forEach((cell) => cells.push(cell));
    rows.push({ row, offset, cells });
  });
  return rows;
}

function everyChild(node: PMNode, test: (child: PMNode) => boolean): boolean {
  let all = true;
  node.forEach((child) => (all &&= test(child)));
  return all;
}

/** Word wants a comment's start before the passage and, after it, its end followed by a reference run. */
function markers(event: CommentEvent): ParagraphChild[] {
  if (event.kind === 'start') return event.ids.map((id) => new CommentRangeStart(id));
  return event.ids.flatMap((id) => [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]);
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((word) => word[0]!.toUpperCase())
    .join('');
}

/** An ISO date Word accepts (it refuses an empty one). */
function validDate(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Write a plan as a DOCX file. */
export async function exportPlanDocx(model: PlanModel, options: DocxOptions): Promise<Uint8Array> {
  const writer = new DocxWriter(model, { ...options, onProgress: (f) => options.onProgress?.(f * 0.8) });
  const titlePage = writer.titlePage();
  const body = writer.body();
  const heading = (size: number, outlineLevel: number) => ({
    run: { size, bold: true, color: '1F3864' },
    paragraph: { spacing: { before: 360, after: 120 }, keepNext: true, keepLines: true, outlineLevel },
  });
  const page = { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } };
  const document = new Document({
    title: model.title,
    creator: 'Minga',
    description: model.versionLabel,
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22 }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { size: 56, bold: true, color: '1F3864' } },
        heading1: heading(36, 0),
        heading2: heading(30, 1),
        heading3: heading(26, 2),
      },
    },
    numbering: writer.numbering(),
    comments: { children: writer.comments },
    sections: [
      { properties: { page }, children: titlePage },
      { properties: { page }, footers: { default: writer.footer() }, children: body },
    ],
  });
  const buffer = await Packer.toBuffer(document);
  options.onProgress?.(1);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
