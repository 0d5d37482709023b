/**
 * "Exportar": a menu in the editor's top bar with Word (DOCX, with options for comments and
 * tracked changes), PDF, Markdown and HTML. The export runs on the server; its progress shows
 * here when it takes more than a moment, and the file downloads when ready.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ExportFormat } from '../../../../shared/export.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { errorMessage } from '../../ui/errors.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';
import { useExport } from './useExport.ts';
import './export.css';

const QUICK_FORMATS: Array<{ format: Exclude<ExportFormat, 'docx'>; key: 'export.pdf' | 'export.markdown' | 'export.html' }> = [
  { format: 'pdf', key: 'export.pdf' },
  { format: 'md', key: 'export.markdown' },
  { format: 'html', key: 'export.html' },
];

/** The export menu of one plan (or of one of its versions). */
export function ExportMenu({ documentId, version }: { documentId: string; version?: string }) {
  const { t, lang } = useT();
  const { showToast } = useToast();
  const { state, run } = useExport(documentId);
  const [menuOpen, setMenuOpen] = useState(false);
  const [docxOpen, setDocxOpen] = useState(false);
  const [comments, setComments] = useState(true);
  const [suggestions, setSuggestions] = useState(true);
  const menuId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const busy = state.phase === 'running';

  useEffect(() => {
    if (!menuOpen) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [menuOpen]);

  useEffect(() => {
    if (state.phase === 'done') showToast(t('export.ready', { file: state.job.fileName ?? '' }), 'info');
    if (state.phase === 'failed') showToast(t('export.failed', { reason: errorMessage(state.error, t) }), 'error');
  }, [state, showToast, t]);

  const exportAs = (format: ExportFormat, options: { comments: boolean; suggestions: boolean }) => {
    setMenuOpen(false);
    void run({ format, ...options, lang, ...(version ? { version } : {}) });
    toggleRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setMenuOpen(false);
      toggleRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (at + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items[next]?.focus();
    } else if (event.key === 'Tab') {
      setMenuOpen(false);
    }
  };

  const percent = state.phase === 'running' ? Math.round((state.job?.progress ?? 0) * 100) : 0;

  return (
    <div className="export-menu" ref={wrapperRef}>
      <button
        ref={toggleRef}
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        aria-controls={menuOpen ? menuId : undefined}
        disabled={busy}
        onClick={() => setMenuOpen((open) => !open)}
      >
        {t('export.open')}
      </button>
      {menuOpen && (
        <div id={menuId} ref={menuRef} role="menu" aria-label={t('export.open')} className="menu" onKeyDown={onMenuKey}>
          <button
            type="button"
            role="menuitem"
            className="menu__item"
            onClick={() => {
              setMenuOpen(false);
              setDocxOpen(true);
            }}
          >
            {t('export.docx')}
          </button>
          {QUICK_FORMATS.map(({ format, key }) => (
            <button key={format} type="button" role="menuitem" className="menu__item" onClick={() => exportAs(format, { comments: false, suggestions: true })}>
              {t(key)}
            </button>
          ))}
        </div>
      )}
      {state.phase === 'running' && state.visible && (
        <div className="export-progress" role="status">
          <span>{t('export.progress', { percent })}</span>
          <progress max={100} value={percent} aria-label={t('export.progressLabel')} />
        </div>
      )}
      <Dialog title={t('export.docxTitle')} open={docxOpen} onClose={() => setDocxOpen(false)} finalFocus={() => toggleRef.current?.focus()}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setDocxOpen(false);
            void run({ format: 'docx', comments, suggestions, lang, ...(version ? { version } : {}) });
          }}
        >
          <p className="hint">{t('export.docxHint')}</p>
          <label className="checkbox">
            <input type="checkbox" checked={comments} onChange={(event) => setComments(event.target.checked)} /> {t('export.includeComments')}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={suggestions} onChange={(event) => setSuggestions(event.target.checked)} /> {t('export.includeSuggestions')}
          </label>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={() => setDocxOpen(false)}>
              {t('export.cancel')}
            </button>
            <button type="submit" className="button button--primary">
              {t('export.submit')}
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
