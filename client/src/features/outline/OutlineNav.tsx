/** The side navigation listing the plan's headings; choosing one scrolls there and puts the caret in it. */
import './outline.css';
import type { Editor } from '@tiptap/react';
import { useT } from '../i18n/i18n.tsx';
import { useOutline } from './useOutline.ts';

/** Outline of the plan, as a nav landmark. */
export function OutlineNav({ editor }: { editor: Editor | null }) {
  const { t } = useT();
  const headings = useOutline(editor);

  const goTo = (pos: number) => {
    if (!editor) return;
    // Inside the heading, at the end of its text: the caret lands where the person reads.
    const node = editor.state.doc.nodeAt(pos);
    const inside = pos + 1 + (node?.content.size ?? 0);
    editor.chain().focus().setTextSelection(inside).run();
    const dom = editor.view.nodeDOM(pos);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  return (
    <nav className="outline" aria-label={t('outline.label')}>
      <h2 className="outline__title">{t('outline.label')}</h2>
      {headings.length === 0 ? (
        <p className="outline__empty">{t('outline.empty')}</p>
      ) : (
        <ul className="outline__list">
          {headings.map((heading, index) => (
            <li key={`${heading.pos}-${index}`} className={`outline__item outline__item--h${heading.level}`}>
              <button type="button" className="outline__link" onClick={() => goTo(heading.pos)}>
                {heading.text || '—'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
