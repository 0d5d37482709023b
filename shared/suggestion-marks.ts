/**
 * Marks of tracked suggestions in the plan body. A proposed insertion is text carrying the
 * `insertion` mark; a proposed deletion is existing text carrying the `deletion` mark; proposed
 * formatting is the formatting itself, applied, plus a `formatChange` mark that records which
 * marks were added and removed (so rejecting can restore the text as it was). All name their
 * suggestion and author, so anything that reads the document (editor, exports, compare) can
 * show who proposed what. Decisions (accept/reject) are plain edits of the body.
 */
import { Extension, Mark, mergeAttributes } from '@tiptap/core';

/** Mark names, used by the editor, the guard, exports and compare. */
export const SuggestionMark = { insertion: 'insertion', deletion: 'deletion', format: 'formatChange' } as const;

/**
 * Marks whose adding or removing can be proposed: marks without attributes of their own (not
 * links), and not `code`, which excludes every other mark (the suggestion's own included).
 */
export const FORMAT_MARKS = ['bold', 'italic', 'underline', 'strike'] as const;

/** The `formatChange` mark's attributes: who proposed it, and what it changed. */
export interface FormatChangeAttrs extends SuggestionAttrs {
  /** Marks (of FORMAT_MARKS) the suggestion added to the text. */
  added: string[];
  /** Marks (of FORMAT_MARKS) the suggestion removed from the text. */
  removed: string[];
}

/** The mark names of a formatChange attribute, kept to FORMAT_MARKS (a stored value is data). */
export function formatMarkList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((name): name is string => (FORMAT_MARKS as readonly string[]).includes(name as string)) : [];
}

/** Attributes both suggestion marks carry. */
export interface SuggestionAttrs {
  suggestionId: string;
  authorId: string;
  authorName: string;
  color: string;
  createdAt: string;
}

const attributes = {
  suggestionId: { default: '' },
  authorId: { default: '' },
  authorName: { default: '' },
  color: { default: '' },
  createdAt: { default: '' },
};

function renderAttrs(attrs: Record<string, unknown>): Record<string, string> {
  return {
    'data-suggestion-id': String(attrs.suggestionId ?? ''),
    'data-author-id': String(attrs.authorId ?? ''),
    'data-author': String(attrs.authorName ?? ''),
    'data-created-at': String(attrs.createdAt ?? ''),
    title: String(attrs.authorName ?? ''),
    // A colour is data, not markup: only hex colours reach the style attribute.
    style: /^#[0-9a-f]{6}$/i.test(String(attrs.color)) ? `--suggestion-color: ${attrs.color}` : '',
  };
}

function parseAttrs(element: HTMLElement): Record<string, string> {
  return {
    suggestionId: element.getAttribute('data-suggestion-id') ?? '',
    authorId: element.getAttribute('data-author-id') ?? '',
    authorName: element.getAttribute('data-author') ?? '',
    createdAt: element.getAttribute('data-created-at') ?? '',
  };
}

/** Proposed insertion: rendered as <ins>. */
export const InsertionMark = Mark.create({
  name: SuggestionMark.insertion,
  inclusive: false,
  // One suggestion mark per character: neither nests in itself nor in the other kind.
  excludes: `${SuggestionMark.insertion} ${SuggestionMark.deletion}`,
  addAttributes: () => attributes,
  parseHTML: () => [{ tag: 'ins[data-suggestion-id]', getAttrs: (node) => parseAttrs(node as HTMLElement) }],
  renderHTML: ({ HTMLAttributes }) => ['ins', mergeAttributes({ class: 'suggestion suggestion--insertion' }, renderAttrs(HTMLAttributes)), 0],
});

/** Proposed deletion: rendered as <del>. */
export const DeletionMark = Mark.create({
  name: SuggestionMark.deletion,
  inclusive: false,
  excludes: `${SuggestionMark.insertion} ${SuggestionMark.deletion}`,
  addAttributes: () => attributes,
  parseHTML: () => [{ tag: 'del[data-suggestion-id]', getAttrs: (node) => parseAttrs(node as HTMLElement) }],
  renderHTML: ({ HTMLAttributes }) => ['del', mergeAttributes({ class: 'suggestion suggestion--deletion' }, renderAttrs(HTMLAttributes)), 0],
});

/**
 * Proposed formatting: the text shows the formatting as proposed; the mark says so and keeps
 * what was added and removed. One per character (a second person's proposal on the same text
 * would replace the first's, which the guard refuses).
 */
export const FormatChangeMark = Mark.create({
  name: SuggestionMark.format,
  inclusive: false,
  addAttributes: () => ({ ...attributes, added: { default: [] }, removed: { default: [] } }),
  parseHTML: () => [
    {
      tag: 'span[data-format-suggestion]',
      getAttrs: (node) => {
        const element = node as HTMLElement;
        const list = (name: string) => formatMarkList((element.getAttribute(name) ?? '').split(' '));
        return { ...parseAttrs(element), added: list('data-format-added'), removed: list('data-format-removed') };
      },
    },
  ],
  renderHTML: ({ HTMLAttributes }) => [
    'span',
    mergeAttributes(
      { class: 'suggestion suggestion--format', 'data-format-suggestion': '' },
      renderAttrs(HTMLAttributes),
      { 'data-format-added': formatMarkList(HTMLAttributes.added).join(' '), 'data-format-removed': formatMarkList(HTMLAttributes.removed).join(' ') },
    ),
    0,
  ],
});

/** Block types that can be proposed as new (an Enter, a new list item, a new table row). */
export const SUGGESTABLE_BLOCKS = ['paragraph', 'heading', 'listItem', 'tableRow'] as const;

/** Block types whose type can be proposed to change: a paragraph into a heading, a heading's level. */
export const RETYPABLE_BLOCKS = ['paragraph', 'heading'] as const;

/** The `suggestedType` block attribute: who proposed the block's present type, and what it was. */
export interface BlockTypeChangeAttrs extends SuggestionAttrs {
  /** The block's type before the proposal (of RETYPABLE_BLOCKS). */
  fromType: string;
  /** Its heading level then (null for a paragraph). */
  fromLevel: number | null;
}

/** A block kind as one word for labels and comparisons: "paragraph", "heading2". */
export function blockKind(type: string, level: unknown): string {
  return type === 'heading' ? `heading${Number(level) || 1}` : type;
}

/** The HTML attributes every block suggestion shows: who proposed it, in their colour. */
function suggestionBlockHTML(value: SuggestionAttrs, className: string): Record<string, string> {
  return {
    'data-suggested-by': value.authorId,
    'data-author': value.authorName,
    class: className,
    style: /^#[0-9a-f]{6}$/i.test(value.color) ? `--suggestion-color: ${value.color}` : '',
  };
}

/**
 * The `suggestedInsert` block attribute: set on a block someone proposed as new, so it is
 * shown as a suggestion and accepting/rejecting it keeps or removes the whole block. The
 * `suggestedType` attribute: set on a paragraph or heading whose type someone proposed to
 * change (the block shows the new type; rejecting restores the recorded one).
 */
export const SuggestionBlocks = Extension.create({
  name: 'suggestionBlocks',
  addGlobalAttributes() {
    return [
      {
        types: [...SUGGESTABLE_BLOCKS],
        attributes: {
          suggestedInsert: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element: HTMLElement) => {
              const id = element.getAttribute('data-suggested-insert');
              return id ? { suggestionId: id, authorId: element.getAttribute('data-suggested-by') ?? '', authorName: '', color: '', createdAt: '' } : null;
            },
            renderHTML: (attributes: Record<string, unknown>) => {
              const value = attributes.suggestedInsert as SuggestionAttrs | null;
              return value ? { 'data-suggested-insert': value.suggestionId, ...suggestionBlockHTML(value, 'suggestion-block') } : {};
            },
          },
        },
      },
      {
        types: [...RETYPABLE_BLOCKS],
        attributes: {
          suggestedType: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element: HTMLElement) => {
              const id = element.getAttribute('data-suggested-type');
              if (!id) return null;
              const [fromType, level] = (element.getAttribute('data-suggested-from') ?? 'paragraph').split(':');
              return { suggestionId: id, authorId: element.getAttribute('data-suggested-by') ?? '', authorName: '', color: '', createdAt: '', fromType, fromLevel: level ? Number(level) : null };
            },
            renderHTML: (attributes: Record<string, unknown>) => {
              const value = attributes.suggestedType as BlockTypeChangeAttrs | null;
              if (!value) return {};
              return {
                'data-suggested-type': value.suggestionId,
                'data-suggested-from': value.fromType === 'heading' ? `heading:${Number(value.fromLevel) || 1}` : 'paragraph',
                ...suggestionBlockHTML(value, 'suggestion-block suggestion-block--retype'),
              };
            },
          },
        },
      },
    ];
  },
});
