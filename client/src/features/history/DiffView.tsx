/**
 * A compared document as React elements: insertions in <ins> coloured by their author's
 * delegation (name in the tooltip), deletions in <del>. Everything from the plan is rendered
 * as text; links keep only http(s)/mailto addresses.
 */
import type { CSSProperties, ReactNode } from 'react';
import { isSafeHref } from '../../../../shared/links.ts';
import type { ChangeAuthor, DiffElement, DiffMark, DiffNode } from '../../../../shared/versions.ts';
import { useT } from '../i18n/i18n.tsx';

const HEX = /^#[0-9a-f]{6}$/i;

/** Node types rendered by a plain element (the rest are special-cased or become a div). */
const BLOCK_TAGS: Record<string, 'p' | 'blockquote' | 'ul' | 'ol' | 'li' | 'pre' | 'tr'> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  codeBlock: 'pre',
  tableRow: 'tr',
};

interface DiffViewProps {
  doc: DiffElement;
  authors: readonly ChangeAuthor[];
  /** Accessible name of the region. */
  label: string;
}

/** The whole compared document. */
export function DiffView({ doc, authors, label }: DiffViewProps) {
  const { t } = useT();
  const insertedTitle = (author: number | null): string => {
    const person = author === null ? undefined : authors[author];
    return person ? t('history.insertedBy', { name: person.name, delegation: person.delegation }) : t('history.insertedUnknown');
  };

  const wrap = (mark: DiffMark, inner: ReactNode, key: number): ReactNode => {
    switch (mark.type) {
      case 'bold':
        return <strong key={key}>{inner}</strong>;
      case 'italic':
        return <em key={key}>{inner}</em>;
      case 'strike':
        return <s key={key}>{inner}</s>;
      case 'underline':
        return <u key={key}>{inner}</u>;
      case 'code':
        return <code key={key}>{inner}</code>;
      case 'link': {
        const href = typeof mark.attrs?.href === 'string' && isSafeHref(mark.attrs.href) ? mark.attrs.href : null;
        return href ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow" target="_blank">
            {inner}
          </a>
        ) : (
          inner
        );
      }
      case 'insertion':
      case 'deletion': {
        const color = typeof mark.attrs?.color === 'string' && HEX.test(mark.attrs.color) ? mark.attrs.color : undefined;
        return (
          <span
            key={key}
            className={`suggestion suggestion--${mark.type}`}
            title={t('history.suggestionBy', { name: String(mark.attrs?.authorName ?? '') })}
            style={color ? ({ '--suggestion-color': color } as CSSProperties) : undefined}
          >
            {inner}
          </span>
        );
      }
      default:
        return inner;
    }
  };

  const render = (node: DiffNode, key: number): ReactNode => {
    if (node.kind === 'text') {
      let inner: ReactNode = node.text;
      [...node.marks].reverse().forEach((mark, i) => {
        inner = wrap(mark, inner, i);
      });
      if (node.change === 'inserted') {
        const person = node.author === null ? undefined : authors[node.author];
        const color = person && HEX.test(person.color) ? person.color : undefined;
        return (
          <ins key={key} className="diff-ins" title={insertedTitle(node.author)} data-author={person?.name ?? ''} style={color ? ({ '--author-color': color } as CSSProperties) : undefined}>
            {inner}
          </ins>
        );
      }
      if (node.change === 'deleted') {
        return (
          <del key={key} className="diff-del" title={t('history.deleted')}>
            {inner}
          </del>
        );
      }
      return <span key={key}>{inner}</span>;
    }
    const children = node.children.map(render);
    const className = node.change ? `diff-block diff-block--${node.change}` : undefined;
    switch (node.type) {
      case 'doc':
        return <div key={key}>{children}</div>;
      case 'heading': {
        // Headings of the plan sit below the dialog's own heading levels.
        const level = Math.min(Math.max(Number(node.attrs.level) || 2, 1), 3) + 2;
        const Tag = `h${level}` as 'h3' | 'h4' | 'h5';
        return (
          <Tag key={key} className={className}>
            {children}
          </Tag>
        );
      }
      case 'hardBreak':
        return <br key={key} />;
      case 'horizontalRule':
        return <hr key={key} className={className} />;
      case 'table':
        return (
          <table key={key} className={className}>
            <tbody>{children}</tbody>
          </table>
        );
      case 'tableHeader':
      case 'tableCell': {
        const Tag = node.type === 'tableHeader' ? 'th' : 'td';
        const span = (name: string): number | undefined => {
          const value = Number(node.attrs[name]);
          return Number.isInteger(value) && value > 1 ? value : undefined;
        };
        return (
          <Tag key={key} className={className} colSpan={span('colspan')} rowSpan={span('rowspan')}>
            {children}
          </Tag>
        );
      }
      case 'orderedList': {
        const start = Number(node.attrs.start);
        return (
          <ol key={key} className={className} start={Number.isInteger(start) ? start : undefined}>
            {children}
          </ol>
        );
      }
      default: {
        const Tag = BLOCK_TAGS[node.type] ?? 'div';
        return (
          <Tag key={key} className={className}>
            {children}
          </Tag>
        );
      }
    }
  };

  return (
    <section className="diff-doc page" aria-label={label}>
      {render(doc, 0)}
    </section>
  );
}
