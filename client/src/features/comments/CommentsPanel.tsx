/**
 * The "Comentarios" side panel: filters and per-section counts on top, then the thread cards,
 * each aligned with its passage (stacked in a list on narrow screens). Starting a comment
 * (panel button, the margin button by the selection, Ctrl/Cmd+Alt+M) opens a draft card at
 * the passage; sending goes through thread commands, queued while offline.
 */
import './comments.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { can, type Role } from '../../../../shared/roles.ts';
import type { SessionUser } from '../../lib/api.ts';
import type { ConnectionStatus } from '../connection/collabConnection.ts';
import { useToast } from '../../ui/Toasts.tsx';
import { useT } from '../i18n/i18n.tsx';
import { resolveAnchor, type PassageRange } from './anchors.ts';
import { CommentThreadCard, type ThreadCardContext } from './CommentThreadCard.tsx';
import { CommentsHeader } from './CommentsHeader.tsx';
import { DraftThreadCard, PendingThreadCard } from './DraftThreadCard.tsx';
import { matchesFilter, openThreadsBySection, threadDelegations, type ThreadFilter } from './threadFilters.ts';
import { startCommentOnSelection } from './startComment.ts';
import { newThreadItemId, type ThreadCommandBody } from './threadCommands.ts';
import { useCardLayout, type CardSlot } from './useCardLayout.ts';
import { useDocRevision, useMediaQuery, useNow, useParticipants, usePendingThreadCommands, useThreads } from './useComments.ts';
import type { CommentsFeature } from './useCommentsFeature.ts';

interface CommentsPanelProps {
  editor: Editor;
  feature: CommentsFeature;
  documentId: string;
  user: SessionUser;
  role: Role;
  /** The connection's state: commands wait unless connected; offline is said out loud. */
  status: ConnectionStatus;
  /** The connection ended for good: nothing can be sent. */
  closed: boolean;
}

const DRAFT_SLOT = '__draft';
/** Wide enough for page and panel side by side; below this the cards stack as a list. */
const ALIGNED_QUERY = '(min-width: 1201px)';

/** Whether a keyboard event is the comment shortcut (Ctrl/Cmd+Alt+M, whatever Alt+M types). */
function isCommentShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && event.altKey && (event.code === 'KeyM' || event.key.toLowerCase() === 'm');
}

/** The comments panel of a plan. */
export function CommentsPanel({ editor, feature, documentId, user, role, status, closed }: CommentsPanelProps) {
  const { t } = useT();
  const { showToast } = useToast();
  const { controller, sender } = feature;
  const { threads, activeThreadId, draft } = useThreads(controller);
  const pending = usePendingThreadCommands(sender);
  // Where the selection starts when it is not empty (null: a caret). A number, so typing with a
  // caret does not re-render the panel; only selecting does (the margin button follows it).
  const selectionFrom = useEditorState({ editor, selector: ({ editor: e }) => (e.state.selection.empty ? null : e.state.selection.from), equalityFn: Object.is });
  const selection = { empty: selectionFrom === null, from: selectionFrom ?? 0 };
  // Positions are only needed when something is placed beside the page.
  const revision = useDocRevision(editor, threads.length > 0 || draft !== null || pending.length > 0 || selectionFrom !== null);
  const { people, refresh: refreshPeople } = useParticipants(documentId);
  const now = useNow();
  const aligned = useMediaQuery(ALIGNED_QUERY);
  const [filter, setFilter] = useState<ThreadFilter>('open');
  const [delegation, setDelegation] = useState('');
  const canWrite = can(role, 'comment') && !closed;
  const live = status === 'connected';
  // Not while first connecting: only a lost connection earns the "sent on reconnect" notes.
  const offline = status === 'offline' || status === 'reconnecting';

  // Where every thread's passage is now (null: detached). Recomputed as the body changes.
  const ranges = useMemo(() => {
    const map = new Map<string, PassageRange | null>();
    for (const thread of threads) map.set(thread.id, resolveAnchor(editor.state, thread.anchor));
    return map;
  }, [threads, editor, revision]); // `revision` stands for editor.state.doc
  const draftRange = useMemo(() => (draft ? resolveAnchor(editor.state, draft.anchor) : null), [draft, editor, revision]);

  const visible = useMemo(() => {
    const shown = threads.filter((thread) => thread.id === activeThreadId || matchesFilter(thread, filter, user.id, delegation));
    const position = (id: string) => ranges.get(id)?.from ?? Number.MAX_SAFE_INTEGER;
    return shown.sort((a, b) => position(a.id) - position(b.id));
  }, [threads, activeThreadId, filter, user.id, delegation, ranges]);

  // New threads sent but not yet in the document (offline, or on their way).
  const pendingCreates = useMemo(
    () => pending.flatMap((p) => (p.command.op === 'thread.create' && !threads.some((thread) => thread.id === p.command.threadId) ? [p.command] : [])),
    [pending, threads],
  );
  const pendingCreateRanges = useMemo(() => pendingCreates.map((command) => resolveAnchor(editor.state, command.anchor)), [pendingCreates, editor, revision]);

  const slots: CardSlot[] = useMemo(() => {
    const list: CardSlot[] = visible.map((thread) => ({ id: thread.id, from: ranges.get(thread.id)?.from ?? null }));
    if (draft) list.push({ id: DRAFT_SLOT, from: draftRange?.from ?? null });
    pendingCreates.forEach((command, i) => list.push({ id: `pending:${command.threadId}`, from: pendingCreateRanges[i]?.from ?? null }));
    return list;
  }, [visible, ranges, draft, draftRange, pendingCreates, pendingCreateRanges]);
  const layoutActive = draft ? DRAFT_SLOT : activeThreadId;
  const { track, layout, cardRef } = useCardLayout(editor, slots, layoutActive, aligned, revision);

  const explain = useCallback((error: string | undefined) => (error === 'timeout' ? t('comments.timeout') : t('comments.refused', { reason: error ?? '' })), [t]);
  // Written in an earlier page of the plan (offline, then a reload) and refused now: say so.
  useEffect(() => sender.onResumedFailure((error) => showToast(explain(error), 'error')), [sender, showToast, explain]);

  /** Send a command. Online: wait and return the error (shown by the form). Offline: queue. */
  const send = useCallback(
    async (command: ThreadCommandBody): Promise<string | null> => {
      const result = sender.send(command);
      const quiet = command.op === 'thread.resolve' || command.op === 'thread.reopen' || command.op === 'message.delete';
      if (!live || quiet) {
        void result.then((r) => {
          if (!r.ok) showToast(explain(r.error), 'error');
        });
        return null;
      }
      const r = await result;
      return r.ok ? null : explain(r.error);
    },
    [sender, live, showToast, explain],
  );

  const startComment = useCallback(() => {
    if (canWrite && !startCommentOnSelection(editor, controller)) showToast(t('comments.selectFirst'), 'info');
  }, [canWrite, editor, controller, showToast, t]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // In a message box the shortcut would throw away what is being written.
      if (!isCommentShortcut(event) || (event.target as HTMLElement | null)?.closest?.('textarea, input, select')) return;
      event.preventDefault();
      startComment();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [startComment]);

  /** Make a thread active, select its passage and bring it into view. */
  const activate = useCallback(
    (threadId: string) => {
      controller.setActive(threadId);
      if (editor.isDestroyed) return;
      // Resolved now: `ranges` follows the document when the browser is idle, a moment behind typing.
      const thread = threads.find((t) => t.id === threadId);
      const range = thread ? resolveAnchor(editor.state, thread.anchor) : null;
      if (!range) return;
      editor.commands.setTextSelection(range);
      const top = editor.view.coordsAtPos(range.from).top;
      if (top < 120 || top > window.innerHeight - 80) {
        const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        window.scrollBy({ top: top - window.innerHeight / 3, behavior: smooth ? 'smooth' : 'auto' });
      }
    },
    [controller, threads, editor],
  );

  // A passage clicked in the editor: in the stacked list, bring its card into view.
  useEffect(() => {
    if (aligned || !activeThreadId) return;
    document.querySelector(`[data-thread-id="${activeThreadId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [aligned, activeThreadId]);

  const createThread = async (body: string, mentions: string[]): Promise<string | null> => {
    if (!draft) return null;
    const threadId = newThreadItemId('t');
    const command: ThreadCommandBody = { op: 'thread.create', threadId, messageId: newThreadItemId('m'), anchor: draft.anchor, quote: draft.quote, body, mentions };
    const error = await send(command);
    if (!error) {
      controller.setDraft(null);
      if (filter === 'resolved') setFilter('open');
      controller.setActive(threadId);
    }
    return error;
  };

  const context: ThreadCardContext = {
    selfId: user.id,
    role,
    canWrite,
    offline,
    people,
    refreshPeople,
    now,
    send,
    newMessageId: () => newThreadItemId('m'),
  };
  const sections = useMemo(() => openThreadsBySection(editor.state.doc, threads, ranges), [editor, threads, ranges]);
  const positioned = (id: string) => (aligned ? { top: layout.tops.get(id) ?? 0 } : undefined);
  const selectionTop = useSelectionTop(editor, track.current, selection, aligned && canWrite && !draft, revision);

  return (
    <aside className={`comments${aligned ? ' comments--aligned' : ''}`} aria-label={t('comments.label')}>
      <CommentsHeader
        threads={threads}
        userId={user.id}
        filter={filter}
        onFilter={(next) => {
          setFilter(next);
          // The active thread stays visible whatever the filter, until the person picks another filter.
          const active = threads.find((thread) => thread.id === activeThreadId);
          if (active && !matchesFilter(active, next, user.id, delegation)) controller.setActive(null);
        }}
        delegation={delegation}
        delegations={threadDelegations(threads)}
        onDelegation={(next) => {
          setDelegation(next);
          const active = threads.find((thread) => thread.id === activeThreadId);
          if (active && !matchesFilter(active, filter, user.id, next)) controller.setActive(null);
        }}
        sections={sections}
        onSection={(pos) => {
          const first = visible.find((thread) => thread.status === 'open' && (ranges.get(thread.id)?.from ?? -1) > pos) ?? threads.find((thread) => thread.status === 'open' && (ranges.get(thread.id)?.from ?? -1) > pos);
          if (first) activate(first.id);
        }}
        canComment={can(role, 'comment')}
        canStart={canWrite && !selection.empty}
        onComment={startComment}
        offline={offline && canWrite}
      />
      <div ref={track} className="comments__track" style={aligned ? { height: layout.height } : undefined}>
        {selectionTop !== null && !selection.empty && (
          <button
            type="button"
            className="comments__margin-button"
            style={{ top: selectionTop }}
            tabIndex={-1}
            aria-hidden="true"
            title={t('comments.commentShortcut')}
            onMouseDown={(event) => event.preventDefault()}
            onClick={startComment}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M4 5h16v11H9l-5 4z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
              <path d="M12 8v5M9.5 10.5h5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
        )}
        {draft && (
          <DraftThreadCard
            ref={cardRef(DRAFT_SLOT)}
            style={positioned(DRAFT_SLOT)}
            quote={draft.quote}
            people={people}
            refreshPeople={refreshPeople}
            offline={offline}
            onCancel={() => controller.setDraft(null)}
            onSubmit={createThread}
          />
        )}
        {pendingCreates.map((command) => (
          <PendingThreadCard key={command.threadId} ref={cardRef(`pending:${command.threadId}`)} style={positioned(`pending:${command.threadId}`)} quote={command.quote} body={command.body} offline={offline} />
        ))}
        {visible.map((thread) => {
          const mine = pending.filter((p) => p.command.threadId === thread.id);
          return (
            <CommentThreadCard
              key={thread.id}
              ref={cardRef(thread.id)}
              style={positioned(thread.id)}
              thread={thread}
              detached={!ranges.get(thread.id)}
              active={thread.id === activeThreadId}
              pendingReplies={mine.flatMap((p) => (p.command.op === 'message.add' ? [p.command.body] : []))}
              pendingChange={mine.some((p) => p.command.op !== 'message.add' && p.command.op !== 'thread.create')}
              context={context}
              onActivate={() => activate(thread.id)}
            />
          );
        })}
        {visible.length === 0 && !draft && pendingCreates.length === 0 && <p className="comments__empty">{t(threads.length === 0 ? 'comments.none' : 'comments.noneFiltered')}</p>}
      </div>
    </aside>
  );
}

/** Top of the selection relative to the track, for the margin "Comentar" button. */
function useSelectionTop(editor: Editor, track: HTMLElement | null, selection: { from: number; empty: boolean }, enabled: boolean, revision: number): number | null {
  const [top, setTop] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled || !track || selection.empty || editor.isDestroyed) {
      setTop(null);
      return;
    }
    const frame = requestAnimationFrame(() => {
      try {
        setTop(Math.max(0, editor.view.coordsAtPos(selection.from).top - track.getBoundingClientRect().top - 4));
      } catch {
        setTop(null);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [editor, track, selection.from, selection.empty, enabled, revision]);
  return top;
}
