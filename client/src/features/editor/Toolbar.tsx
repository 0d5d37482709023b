/**
 * The formatting toolbar: one tab stop, arrow keys move between buttons (WAI-ARIA toolbar
 * pattern). Unavailable buttons stay focusable with aria-disabled so the arrow order is stable.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Editor } from '@tiptap/react';
import type { MessageKey } from '../i18n/dictionary.ts';
import { useT } from '../i18n/i18n.tsx';
import { useIdleEditorState } from './useIdleEditorState.ts';

// Drawn inline: symbol fonts for link glyphs are missing on many systems, and no icon font is loaded.
const LinkIcon = (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5" />
    <path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" />
  </svg>
);
const UnlinkIcon = (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5" />
    <path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" />
    <path d="M3 3l18 18" />
  </svg>
);

const CommentIcon = (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M4 5h16v11H9l-5 4z" />
    <path d="M12 8v5M9.5 10.5h5" />
  </svg>
);

interface ToolbarProps {
  editor: Editor;
  onRequestLink: () => void;
  /** Start a comment on the selection (absent: no comment button). */
  onRequestComment?: () => void;
}

interface ToolDefinition {
  key: MessageKey;
  icon: ReactNode;
  run: () => void;
  /** Present for toggles: rendered as aria-pressed. */
  pressed?: boolean;
  disabled?: boolean;
  /** Start a new visual group before this button. */
  groupStart?: boolean;
}

/** What the buttons show: pressed and available states at the selection. */
function toolbarState(e: Editor) {
  return {
    h1: e.isActive('heading', { level: 1 }),
    h2: e.isActive('heading', { level: 2 }),
    h3: e.isActive('heading', { level: 3 }),
    paragraph: e.isActive('paragraph'),
    bold: e.isActive('bold'),
    italic: e.isActive('italic'),
    bulletList: e.isActive('bulletList'),
    orderedList: e.isActive('orderedList'),
    link: e.isActive('link'),
    inTable: e.can().addRowAfter(),
    canInsertTable: e.can().insertTable({ rows: 3, cols: 3, withHeaderRow: true }),
    canDeleteRow: e.can().deleteRow(),
    canDeleteColumn: e.can().deleteColumn(),
    canUndo: e.can().undo(),
    canRedo: e.can().redo(),
    hasSelection: !e.state.selection.empty,
  };
}

/** The editing toolbar of the plan. */
export function Toolbar({ editor, onRequestLink, onRequestComment }: ToolbarProps) {
  const { t } = useT();
  const [activeIndex, setActiveIndex] = useState(0);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  // Recomputed when the browser is idle after a change (the can() checks cost about a
  // millisecond), and re-rendered only when a button's state changed.
  const state = useIdleEditorState(editor, toolbarState);

  const chain = () => editor.chain().focus();
  const tools: ToolDefinition[] = [
    { key: 'editor.paragraph', icon: '¶', pressed: state.paragraph, run: () => chain().setParagraph().run() },
    { key: 'editor.heading1', icon: 'T1', pressed: state.h1, run: () => chain().toggleHeading({ level: 1 }).run() },
    { key: 'editor.heading2', icon: 'T2', pressed: state.h2, run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'editor.heading3', icon: 'T3', pressed: state.h3, run: () => chain().toggleHeading({ level: 3 }).run() },
    { key: 'editor.bold', icon: <b>B</b>, pressed: state.bold, run: () => chain().toggleBold().run(), groupStart: true },
    { key: 'editor.italic', icon: <i>I</i>, pressed: state.italic, run: () => chain().toggleItalic().run() },
    { key: 'editor.bulletList', icon: '•≡', pressed: state.bulletList, run: () => chain().toggleBulletList().run(), groupStart: true },
    { key: 'editor.orderedList', icon: '1≡', pressed: state.orderedList, run: () => chain().toggleOrderedList().run() },
    { key: 'editor.link', icon: LinkIcon, pressed: state.link, run: onRequestLink, groupStart: true },
    { key: 'editor.unlink', icon: UnlinkIcon, disabled: !state.link, run: () => chain().extendMarkRange('link').unsetLink().run() },
    {
      key: 'editor.insertTable',
      icon: '▦',
      disabled: !state.canInsertTable,
      run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      groupStart: true,
    },
    { key: 'editor.addRow', icon: '+▤', disabled: !state.inTable, run: () => chain().addRowAfter().run() },
    { key: 'editor.deleteRow', icon: '−▤', disabled: !state.canDeleteRow, run: () => chain().deleteRow().run() },
    { key: 'editor.addColumn', icon: '+▥', disabled: !state.inTable, run: () => chain().addColumnAfter().run() },
    { key: 'editor.deleteColumn', icon: '−▥', disabled: !state.canDeleteColumn, run: () => chain().deleteColumn().run() },
    { key: 'editor.deleteTable', icon: '✕▦', disabled: !state.inTable, run: () => chain().deleteTable().run() },
    { key: 'editor.undo', icon: '↶', disabled: !state.canUndo, run: () => chain().undo().run(), groupStart: true },
    { key: 'editor.redo', icon: '↷', disabled: !state.canRedo, run: () => chain().redo().run() },
    ...(onRequestComment ? [{ key: 'comments.comment' as const, icon: CommentIcon, disabled: !state.hasSelection, run: onRequestComment, groupStart: true }] : []),
  ];

  const moveFocus = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = tools.length - 1;
    const current = buttons.current.findIndex((button) => button === document.activeElement);
    if (current < 0) return;
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = current === last ? 0 : current + 1;
    else if (event.key === 'ArrowLeft') next = current === 0 ? last : current - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    if (next === null) return;
    event.preventDefault();
    setActiveIndex(next);
    buttons.current[next]?.focus();
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')} aria-orientation="horizontal" onKeyDown={moveFocus}>
      {tools.map((tool, index) => (
        <button
          key={tool.key}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          className={`toolbar__button${tool.groupStart ? ' toolbar__button--group' : ''}`}
          aria-label={t(tool.key)}
          title={t(tool.key)}
          aria-pressed={tool.pressed === undefined ? undefined : tool.pressed}
          aria-disabled={tool.disabled ? true : undefined}
          tabIndex={index === activeIndex ? 0 : -1}
          // Keep the editor's selection: a mouse press on a button must not move focus away first.
          onMouseDown={(event) => event.preventDefault()}
          onFocus={() => setActiveIndex(index)}
          onClick={() => {
            if (!tool.disabled) tool.run();
          }}
        >
          <span aria-hidden="true">{tool.icon}</span>
        </button>
      ))}
    </div>
  );
}
