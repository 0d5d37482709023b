/**
 * Marks of tracked suggestions in the plan body. A proposed insertion is text carrying the
 * `insertion` mark; a proposed deletion is existing text carrying the `deletion` mark. Both
 * name their suggestion and author, so anything that reads the document (editor, exports,
 * compare) can show who proposed what. Decisions (accept/reject) are plain edits of the body.
 */
import { Mark, mergeAttributes } from '@tiptap/core';

/** Mark names, used by the editor, the guard, exports and compare. */
export const SuggestionMark = { insertion: 'insertion', deletion: 'deletion' } as const;

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
  excludes: SuggestionMark.deletion,
  addAttributes: () => attributes,
  parseHTML: () => [{ tag: 'ins[data-suggestion-id]', getAttrs: (node) => parseAttrs(node as HTMLElement) }],
  renderHTML: ({ HTMLAttributes }) => ['ins', mergeAttributes({ class: 'suggestion suggestion--insertion' }, renderAttrs(HTMLAttributes)), 0],
});

/** Proposed deletion: rendered as <del>. */
export const DeletionMark = Mark.create({
  name: SuggestionMark.deletion,
  inclusive: false,
  excludes: SuggestionMark.insertion,
  addAttributes: () => attributes,
  parseHTML: () => [{ tag: 'del[data-suggestion-id]', getAttrs: (node) => parseAttrs(node as HTMLElement) }],
  renderHTML: ({ HTMLAttributes }) => ['del', mergeAttributes({ class: 'suggestion suggestion--deletion' }, renderAttrs(HTMLAttributes)), 0],
});
