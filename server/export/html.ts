/**
 * Standalone HTML export: the plan body rendered by the shared editor schema's own renderers
 * (Tiptap's server-side generateHTML over `planExtensions()`), so the file shows what the
 * editor shows; wrapped in one self-contained page with a title page, a print stylesheet
 * (A4), no scripts and a Content-Security-Policy that forbids loading anything. The PDF export
 * prints this same page.
 */
import { generateHTML } from '@tiptap/html/server';
import { planExtensions } from '../../shared/schema.ts';
import type { PlanModel } from './plan-model.ts';
import { exportWords } from './words.ts';

/** What an HTML (or PDF) export includes beyond the text (suggestions are chosen when the model is built). */
export interface HtmlOptions {
  comments: boolean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLESHEET = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --accent: #1f3864; --rule: #c9d1db; }
* { box-sizing: border-box; }
html { font: 11pt/1.5 "Calibri", "Carlito", "Liberation Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem 4rem; }
h1, h2, h3 { color: var(--accent); line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 1.8em; margin: 1.2em 0 .5em; }
h2 { font-size: 1.45em; margin: 1.4em 0 .4em; border-bottom: 1px solid var(--rule); padding-bottom: .15em; }
h3 { font-size: 1.2em; margin: 1.2em 0 .3em; }
p, li { orphans: 3; widows: 3; }
li > p { margin: .15em 0; }
a { color: #0b57d0; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: .95em; }
th, td { border: 1px solid var(--rule); padding: .35em .5em; vertical-align: top; text-align: left; }
th { background: #deeaf6; }
th p, td p { margin: 0; }
tr { break-inside: avoid; page-break-inside: avoid; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid var(--rule); color: var(--muted); }
pre { background: #f2f2f2; padding: .6em .8em; white-space: pre-wrap; font-size: .9em; }
code { font-family: Consolas, "Liberation Mono", monospace; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 1.5em 0; }
ins.suggestion { color: #0a6b2d; text-decoration: underline; }
del.suggestion { color: #a1151a; text-decoration: line-through; }
.suggestion-block { border-left: 3px solid #0a6b2d; padding-left: .5em; }
ins.suggestion[data-author]::after, del.suggestion[data-author]::after { content: " [" attr(data-author) "]"; font-size: .75em; color: var(--muted); text-decoration: none; display: inline-block; }
.title-page { min-height: 60vh; display: flex; flex-direction: column; justify-content: center; border-bottom: 1px solid var(--rule); margin-bottom: 2rem; }
.title-page .plan-name { font-size: 2.4em; font-weight: bold; color: var(--accent); margin: 0 0 .4em; line-height: 1.2; }
.title-page .plan-version { font-size: 1.3em; margin: 0 0 .3em; }
.title-page .plan-date { color: var(--muted); margin: 0; }
.comments { border-top: 1px solid var(--rule); margin-top: 3rem; }
.comments .quote { font-style: italic; color: var(--muted); margin: 0 0 .3em; }
.comments .message { margin: .2em 0 .2em 1em; }
.comments .who { font-weight: bold; }
@page { size: A4; margin: 22mm 20mm 20mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  .title-page { min-height: 240mm; border: 0; margin: 0; break-after: page; page-break-after: always; }
  a { color: inherit; }
  .comments { break-before: page; page-break-before: always; border: 0; }
}
`;

/** The open comment threads as a list at the end of the page. */
function commentsSection(model: PlanModel): string {
  const words = exportWords(model.lang);
  const items = model.threads.map(({ thread, range }) => {
    const messages = thread.messages
      .filter((message) => !message.deletedAt)
      .map(
        (message) =>
          `<p class="message"><span class="who">${escapeHtml(message.author.name)}</span> · ${escapeHtml(message.author.delegation)} · ${escapeHtml(words.dateTime(message.createdAt))}: ${escapeHtml(message.body)}</p>`,
      )
      .join('');
    const gone = range ? '' : ` (${escapeHtml(words.unanchored)})`;
    return `<li><p class="quote">«${escapeHtml(thread.quote)}»${gone}</p>${messages}</li>`;
  });
  return `<section class="comments"><h2>${escapeHtml(words.comments)}</h2><ol>${items.join('')}</ol></section>`;
}

/** The plan body as HTML, by the shared schema's renderers. */
export function planBodyHtml(model: PlanModel): string {
  return generateHTML(model.json, planExtensions());
}

/** Write a plan as one self-contained HTML page. */
export function exportPlanHtml(model: PlanModel, options: HtmlOptions): string {
  const comments = options.comments && model.threads.length > 0 ? commentsSection(model) : '';
  return `<!doctype html>
<html lang="${model.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Minga">
<title>${escapeHtml(model.title)} · ${escapeHtml(model.versionLabel)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="title-page">
<p class="plan-name">${escapeHtml(model.title)}</p>
<p class="plan-version">${escapeHtml(model.versionLabel)}</p>
<p class="plan-date">${escapeHtml(model.dateLabel)}</p>
</header>
<main>
${planBodyHtml(model)}
</main>
${comments}
</body>
</html>
`;
}
