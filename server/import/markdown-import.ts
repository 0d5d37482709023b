/**
 * Markdown import (CommonMark with GitHub tables and strikethrough) through markdown-it into
 * HTML, then into a plan body through the shared schema. Raw HTML is not interpreted (it shows
 * as text, and is reported); images that point at other servers are refused, as for DOCX.
 */
import MarkdownIt from 'markdown-it';
import type { JSONContent } from '@tiptap/core';
import { TaskError } from '../export/task-error.ts';
import { htmlToPlan } from './html-to-plan.ts';
import { ImportNotes } from './notes.ts';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Only to notice raw HTML (the renderer above leaves it as text): never used to render.
const detector = new MarkdownIt({ html: true });

/** Every token, inline children included. */
function flatten(tokens: Token[]): Token[] {
  return tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);
}

/** Decode an upload as UTF-8 text, refusing binary files. */
function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TaskError(400, 'not_markdown', 'This file is not Markdown text (it is not UTF-8). Save it as plain text (.md) and try again.');
  }
  if (text.includes('\u0000')) throw new TaskError(400, 'not_markdown', 'This file is not Markdown text (it contains binary data).');
  return text.replace(/^\uFEFF/, '');
}

/** Convert a Markdown upload into a plan body. */
export function importMarkdown(bytes: Uint8Array): { content: JSONContent; notes: ImportNotes } {
  const text = decodeText(bytes);
  const notes = new ImportNotes();
  for (const token of flatten(markdown.parse(text, {}))) {
    if (token.type !== 'image') continue;
    const src = String(token.attrGet('src') ?? '').trim();
    if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(src) && !/^data:/i.test(src)) {
      throw new TaskError(400, 'remote_image', `This file shows an image from another server (${src.slice(0, 120)}). Remove the image, or replace it with a link, and try again.`);
    }
  }
  const rawHtml = flatten(detector.parse(text, {})).filter((token) => token.type === 'html_block' || token.type === 'html_inline');
  rawHtml.forEach((token) => notes.add('raw-html', 1, token.content.slice(0, 60)));
  return { content: htmlToPlan(markdown.render(text), notes, 'md'), notes };
}
