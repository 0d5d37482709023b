/**
 * HTML (from mammoth or from Markdown) into a plan body, through the shared editor schema's
 * own parse rules (ProseMirror's DOMParser over `planSchema`), so an imported plan is exactly
 * what the editor would make of the same content. Before parsing, what the schema cannot hold
 * is counted into the import notes rather than silently dropped: images, links the link
 * policy refuses, links inside the document, headings deeper than level 3.
 */
import { Window } from 'happy-dom';
import { DOMParser as PMDOMParser } from '@tiptap/pm/model';
import type { JSONContent } from '@tiptap/core';
import { planSchema, HEADING_LEVELS } from '../../shared/schema.ts';
import { isSafeHref } from '../../shared/links.ts';
import type { ImportNotes } from './notes.ts';

const DEEPEST = HEADING_LEVELS[HEADING_LEVELS.length - 1];

/** Parse HTML into a plan body with the shared schema, noting what could not come along. */
export function htmlToPlan(html: string, notes: ImportNotes, source: 'docx' | 'md'): JSONContent {
  // A DOM that never runs scripts, loads files or renders styles: it only holds the tree.
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  try {
    const document = window.document;
    const root = document.createElement('div');
    root.innerHTML = html;

    if (source === 'docx') {
      // mammoth writes footnotes, endnotes and comments as lists at the end with links back and
      // forth; they are counted from the document's XML and reported, so their markup goes.
      for (const note of [...root.querySelectorAll('li[id^="footnote-"], li[id^="endnote-"], li[id^="comment-"]')]) {
        const list = note.parentElement;
        note.remove();
        if (list && list.children.length === 0) list.remove();
      }
      for (const reference of [...root.querySelectorAll('a[href^="#footnote-"], a[href^="#endnote-"], a[href^="#comment-"]')]) {
        (reference.closest('sup') ?? reference).remove();
      }
    }

    for (const image of [...root.querySelectorAll('img')]) {
      notes.add('images', 1, image.getAttribute('alt') || undefined);
      image.remove();
    }
    for (const link of [...root.querySelectorAll('a')]) {
      const href = (link.getAttribute('href') ?? '').trim();
      if (!href) continue;
      if (href.startsWith('#')) {
        notes.add('internal-links', 1, link.textContent ?? href);
        link.removeAttribute('href');
      } else if (!isSafeHref(href)) {
        notes.add('unsafe-links', 1, href);
        link.removeAttribute('href');
      }
    }
    for (const heading of [...root.querySelectorAll('h4, h5, h6')]) {
      notes.add('headings-deeper', 1, heading.textContent ?? undefined);
      const replacement = document.createElement(`h${DEEPEST}`);
      replacement.innerHTML = heading.innerHTML;
      heading.replaceWith(replacement);
    }
    const doc = PMDOMParser.fromSchema(planSchema).parse(root as unknown as globalThis.Node);
    return doc.toJSON() as JSONContent;
  } finally {
    void window.happyDOM.abort();
    void window.happyDOM.close();
  }
}

/** The text of the first heading of a plan body, to title an imported plan. */
export function firstHeadingText(content: JSONContent): string | null {
  const heading = content.content?.find((node) => node.type === 'heading');
  const text = heading?.content?.map((node) => node.text ?? '').join('').trim();
  return text ? text.slice(0, 200) : null;
}
