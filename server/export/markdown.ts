/**
 * Markdown export (CommonMark with GitHub tables and strikethrough). Open suggestions are
 * written in CriticMarkup, `{++inserted++}` and `{--deleted--}`, the plain-text convention for
 * tracked changes; underline, which Markdown lacks, as `<u>`. Text is escaped so that nothing
 * a person typed turns into Markdown syntax.
 */
import type { JSONContent } from '@tiptap/core';
import { isSafeHref } from '../../shared/links.ts';
import { SuggestionMark } from '../../shared/suggestion-marks.ts';
import type { PlanModel } from './plan-model.ts';
import { exportWords } from './words.ts';

/** What a Markdown export includes beyond the text (suggestions are chosen when the model is built). */
export interface MarkdownOptions {
  comments: boolean;
}

/** Marks in the order they nest, outermost first. */
const MARK_ORDER = ['link', SuggestionMark.insertion, SuggestionMark.deletion, 'bold', 'italic', 'strike', 'underline', 'code'] as const;
const DELIMITERS: Record<string, [string, string]> = {
  [SuggestionMark.insertion]: ['{++', '++}'],
  [SuggestionMark.deletion]: ['{--', '--}'],
  bold: ['**', '**'],
  italic: ['_', '_'],
  strike: ['~~', '~~'],
  underline: ['<u>', '</u>'],
};

type Mark = NonNullable<JSONContent['marks']>[number];

/** Escape characters that Markdown would read as syntax. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~{}]/g, '\\$&');
}

/** Protect what would start a block construct at the beginning of a line. */
function escapeLineStart(line: string): string {
  return line.replace(/^(\s*)([#+=>-]|\d+[.)])/, (_all, space: string, marker: string) => `${space}${marker.replace(/([#+=>.)-])$/, '\\$1')}`);
}

function sameMark(a: Mark, b: Mark): boolean {
  return a.type === b.type && (a.type !== 'link' || a.attrs?.href === b.attrs?.href);
}

/** Inline content as Markdown, opening and closing marks like a stack so nesting stays valid. */
function inline(nodes: JSONContent[] = [], lineBreak: string): string {
  let out = '';
  const active: Mark[] = [];
  let pendingSpace = '';
  // Spaces, parentheses and angle brackets would end or break a link destination: percent-encode them.
  const destination = (href: string): string => href.replace(/[\s()<>]/g, (c) => ({ '(': '%28', ')': '%29', '<': '%3C', '>': '%3E' })[c] ?? encodeURIComponent(c));
  const close = (mark: Mark): string => (mark.type === 'link' ? `](${destination(String(mark.attrs?.href ?? ''))})` : mark.type === 'code' ? '' : DELIMITERS[mark.type]?.[1] ?? '');
  const open = (mark: Mark): string => (mark.type === 'link' ? '[' : mark.type === 'code' ? '' : DELIMITERS[mark.type]?.[0] ?? '');
  for (const node of nodes) {
    if (node.type !== 'text') {
      if (node.type === 'hardBreak') {
        out += pendingSpace + lineBreak;
        pendingSpace = '';
      }
      continue;
    }
    const marks = MARK_ORDER.flatMap((type) => (node.marks ?? []).filter((mark) => mark.type === type && (type !== 'link' || isSafeHref(String(mark.attrs?.href ?? '')))));
    let keep = 0;
    while (keep < active.length && keep < marks.length && sameMark(active[keep], marks[keep]) && marks[keep].type !== 'code') keep++;
    const text = node.text ?? '';
    const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
    // Delimiters hug the text: whitespace goes outside them, or CommonMark would not see emphasis.
    while (active.length > keep) out += close(active.pop()!);
    out += pendingSpace + lead;
    pendingSpace = '';
    for (const mark of marks.slice(keep)) {
      out += open(mark);
      active.push(mark);
    }
    if (marks.some((mark) => mark.type === 'code')) {
      const fence = '`'.repeat(Math.max(0, ...[...core.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
      out += core ? `${fence}${core.startsWith('`') ? ' ' : ''}${core}${core.endsWith('`') ? ' ' : ''}${fence}` : '';
      active.pop();
    } else {
      out += escapeMarkdown(core);
    }
    pendingSpace = trail;
  }
  while (active.length > 0) out += close(active.pop()!);
  return out + pendingSpace;
}

/** Prefix every line after the first with an indent (list continuation). */
function indentRest(lines: string[], first: string, rest: string): string[] {
  return lines.map((line, i) => (i === 0 ? first + line : line ? rest + line : line));
}

/** A block node as Markdown lines. */
function block(node: JSONContent): string[] {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return inline(children, '\\\n').split('\n').map((line, i) => (i === 0 ? escapeLineStart(line) : line));
    case 'heading': {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
      return [`${'#'.repeat(level)} ${inline(children, ' ')}`];
    }
    case 'bulletList':
    case 'orderedList': {
      const start = Number(node.attrs?.start ?? 1) || 1;
      return children.flatMap((item, index) => {
        const marker = node.type === 'bulletList' ? '- ' : `${start + index}. `;
        const lines = (item.content ?? []).flatMap((child, i) => (i === 0 ? block(child) : ['', ...block(child)]));
        return indentRest(lines.length > 0 ? lines : [''], marker, ' '.repeat(marker.length));
      });
    }
    case 'blockquote':
      return joinBlocks(children).map((line) => (line ? `> ${line}` : '>'));
    case 'codeBlock': {
      const text = children.map((child) => child.text ?? '').join('');
      const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      const language = String(node.attrs?.language ?? '').replace(/[^\w+-]/g, '');
      return [fence + language, ...text.split('\n'), fence];
    }
    case 'horizontalRule':
      return ['---'];
    case 'table':
      return table(node);
    default:
      return joinBlocks(children);
  }
}

/** Blocks separated by blank lines. */
function joinBlocks(nodes: JSONContent[]): string[] {
  return nodes.flatMap((node, i) => (i === 0 ? block(node) : ['', ...block(node)]));
}

/** A GitHub pipe table; the first row is its header, cells spanning columns are padded. */
function table(node: JSONContent): string[] {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).flatMap((cell) => {
      const text = (cell.content ?? []).map((child) => inline(child.content ?? [], '<br>')).join('<br>');
      const span = Math.max(1, Number(cell.attrs?.colspan) || 1);
      return [text.replace(/\n/g, ' '), ...Array<string>(span - 1).fill('')];
    }),
  );
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((row) => row.length));
  const line = (cells: string[]) => `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(rows[0]), `|${' --- |'.repeat(columns)}`, ...rows.slice(1).map(line)];
}

/** Write a plan as Markdown. */
export function exportPlanMarkdown(model: PlanModel, options: MarkdownOptions): string {
  const words = exportWords(model.lang);
  const json = model.json;
  const lines = [`**${escapeMarkdown(model.title)}**  `, `${escapeMarkdown(model.versionLabel)} · ${escapeMarkdown(model.dateLabel)}`, '', '---', '', ...joinBlocks(json.content ?? [])];
  if (options.comments && model.threads.length > 0) {
    lines.push('', '---', '', `## ${escapeMarkdown(words.comments)}`, '');
    model.threads.forEach(({ thread, range }, index) => {
      const gone = range ? '' : ` (${escapeMarkdown(words.unanchored)})`;
      lines.push(`${index + 1}. _«${escapeMarkdown(thread.quote)}»_${gone}`);
      for (const message of thread.messages.filter((m) => !m.deletedAt)) {
        lines.push(`   - **${escapeMarkdown(message.author.name)}** (${escapeMarkdown(message.author.delegation)}, ${escapeMarkdown(words.dateTime(message.createdAt))}): ${escapeMarkdown(message.body).replace(/\n/g, ' ')}`);
      }
    });
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
