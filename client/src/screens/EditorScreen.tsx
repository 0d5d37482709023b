/**
 * "/d/<documentId>": loads the plan's metadata, opens its collaboration connection and composes
 * the editor, outline, presence, connection state, notices and participants.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { can, isRole, type Role } from '../../../shared/roles.ts';
import type { Notice } from '../../../shared/protocol.ts';
import { ApiError, type PlanDocument, type SessionUser } from '../lib/api.ts';
import { linkClick } from '../lib/router.ts';
import { CollabConnection } from '../features/connection/collabConnection.ts';
import { ConnectionIndicator, closeExplanation } from '../features/connection/ConnectionIndicator.tsx';
import { useConnectionSnapshot, useNotices } from '../features/connection/useConnection.ts';
import { UnsavedTextNotice } from '../features/connection/UnsavedText.tsx';
import { recoverUnsavedText, UnsavedTextStore, unsavedKey, type UnsavedText } from '../features/connection/unsavedText.ts';
import { RenameTitle } from '../features/documents/RenameTitle.tsx';
import { PlanEditor, useLinkDialog } from '../features/editor/PlanEditor.tsx';
import { useCollabEditor } from '../features/editor/useCollabEditor.ts';
import { useDocumentMeta } from '../features/editor/useDocumentMeta.ts';
import { useT } from '../features/i18n/i18n.tsx';
import { OutlineNav } from '../features/outline/OutlineNav.tsx';
import { ParticipantsDialog } from '../features/participants/ParticipantsDialog.tsx';
import { HistoryButtons } from '../features/history/HistoryButtons.tsx';
import { PresenceList } from '../features/presence/PresenceList.tsx';
import { usePresence } from '../features/presence/usePresence.ts';
import { roleLabel } from '../features/session/roleLabel.ts';
import { errorMessage } from '../ui/errors.ts';
import { MessagePage } from '../ui/Message.tsx';
import { useToast } from '../ui/Toasts.tsx';
import { TopBar } from '../ui/TopBar.tsx';
import { ExportMenu } from '../features/export/ExportMenu.tsx';
import { SuggestModeSwitch, type WritingMode } from '../features/suggestions/SuggestModeSwitch.tsx';
import { SuggestionsPanel } from '../features/suggestions/SuggestionsPanel.tsx';
import { useSuggestionActions } from '../features/suggestions/useSuggestionActions.ts';
import { useSuggestions } from '../features/suggestions/useSuggestions.ts';
import { CommentsPanel } from '../features/comments/CommentsPanel.tsx';
import { startCommentOnSelection } from '../features/comments/startComment.ts';
import { useCommentsFeature } from '../features/comments/useCommentsFeature.ts';

/** The editor screen for one plan. */
export function EditorScreen({ documentId, user }: { documentId: string; user: SessionUser }) {
  const { t } = useT();
  const { state, update, reload } = useDocumentMeta(documentId);
  // Opened alongside the metadata request, not after it: the server loads the plan and the
  // offline copy is read while the screen is being built (docs/benchmarks.md, opening).
  const { connection, unsaved, discardUnsaved } = useCollabConnection(documentId, user.id, reload);

  if (state.status === 'loading') {
    return (
      <>
        <TopBar user={user} />
        <MessagePage title={t('editor.loadingPlan')} role="status" />
      </>
    );
  }
  if (state.status === 'failed') {
    const notFound = state.error instanceof ApiError && state.error.status === 404;
    return (
      <>
        <TopBar user={user} />
        <MessagePage title={notFound ? t('connection.notFound') : t('error.title')} role="alert">
          <p>{errorMessage(state.error, t)}</p>
          <p>
            <a href="/" onClick={linkClick('/')}>
              {t('error.backToPlans')}
            </a>
          </p>
        </MessagePage>
      </>
    );
  }
  if (!connection) return null;
  return (
    <PlanWorkspace
      key={connection.instance}
      document={state.document}
      user={user}
      onDocumentChange={update}
      connection={connection}
      unsavedNotice={<UnsavedTextNotice unsaved={unsaved} onDiscard={discardUnsaved} />}
    />
  );
}

interface RoomProps {
  document: PlanDocument;
  user: SessionUser;
  onDocumentChange: (patch: Partial<PlanDocument>) => void;
}

/**
 * The plan's connection, created on mount and destroyed on leaving the plan. When the server
 * refuses a change for good, this device's copy (and offline copy) is discarded and a new
 * connection loads the plan as the server has it, and the metadata (role) is asked for again;
 * the refusal notice tells the person, and the text the discarded copy held that the server
 * does not is recovered and kept until the person discards it (unsavedText.ts). Commands this
 * person left unanswered in an earlier page of the plan (a comment written offline, then a
 * reload) are sent by the new connection.
 */
function useCollabConnection(documentId: string, userId: string, onReplaced: () => void): { connection: CollabConnection | null; unsaved: UnsavedText | null; discardUnsaved: () => void } {
  const [connection, setConnection] = useState<CollabConnection | null>(null);
  const store = useMemo(() => new UnsavedTextStore(unsavedKey(userId, documentId)), [userId, documentId]);
  const [unsaved, setUnsaved] = useState<UnsavedText | null>(null);
  const replaced = useRef(onReplaced);
  replaced.current = onReplaced;
  useEffect(() => {
    let active = true;
    let current: CollabConnection;
    setUnsaved(store.read());
    const open = (): CollabConnection => {
      const created = new CollabConnection(documentId, { userId });
      current = created;
      setConnection(created);
      created.onDiverged(() => {
        void created.discard().then(async (discardedState) => {
          if (!active) return;
          const fresh = open();
          replaced.current();
          const found = await recoverUnsavedText(discardedState, fresh);
          if (found.passages.length === 0) return;
          const kept = store.keep(found);
          if (active) setUnsaved(kept);
        });
      });
      return created;
    };
    open();
    return () => {
      active = false;
      current.destroy();
    };
  }, [documentId, userId, store]);
  const discardUnsaved = useCallback(() => {
    store.dismiss();
    setUnsaved(null);
  }, [store]);
  return { connection, unsaved, discardUnsaved };
}

/** The editor screen's layout once the connection exists. */
function PlanWorkspace({ document, user, onDocumentChange, connection, unsavedNotice }: RoomProps & { connection: CollabConnection; unsavedNotice: ReactNode }) {
  const { t } = useT();
  const { showToast } = useToast();
  const snapshot = useConnectionSnapshot(connection);
  const [storageProblem, setStorageProblem] = useState(false);
  const [participantsOpen, setParticipantsOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const { linkDialogOpen, setLinkDialogOpen } = useLinkDialog();
  const role: Role = document.role;
  const closed = snapshot.status === 'closed';
  // Suggesters write too: their typing becomes suggestions (the server accepts nothing else).
  const editable = (can(role, 'editText') || can(role, 'suggest')) && !closed;
  const [writingMode, setWritingMode] = useState<WritingMode>('edit');
  const suggesting = can(role, 'suggest') && (!can(role, 'editText') || writingMode === 'suggest');
  const onSuggestionsCreated = useCallback(
    (ids: string[]) => {
      for (const id of ids) void connection.sendCommand({ op: 'suggestion.open', threadId: id, quote: '' });
    },
    [connection],
  );
  const onSuggestionRefused = useCallback((reason: string) => showToast(t(reason === 'overlap' ? 'suggestions.overlap' : 'suggestions.structure'), 'error'), [showToast, t]);

  useNotices(connection, (notice: Notice) => {
    if (notice.kind === 'update-refused') {
      // Without resync the update only arrived early: what it builds on follows in the sync.
      if (notice.resync) showToast(t('notice.updateRefused', { reason: notice.reason }), 'error');
    } else if (notice.kind === 'role-changed' && isRole(notice.role) && notice.role !== role) {
      onDocumentChange({ role: notice.role });
      showToast(t('notice.roleChanged', { role: roleLabel(notice.role, t) }), 'info');
    } else if (notice.kind === 'storage') {
      setStorageProblem(!notice.ok);
    }
  });

  const comments = useCommentsFeature(connection);
  const editor = useCollabEditor({
    connection,
    user,
    role,
    editable,
    label: t('editor.label'),
    onRequestLink: () => setLinkDialogOpen(true),
    suggesting,
    onSuggestionsCreated,
    onSuggestionRefused,
    extensions: [comments.extension],
  });
  const suggestions = useSuggestions(editor, connection.doc);
  const suggestionActions = useSuggestionActions(editor, connection, user.id, role);
  const people = usePresence(connection.provider.awareness, user.id);

  useEffect(() => {
    globalThis.document.title = `${document.title} · ${t('app.name')}`;
  }, [document.title, t]);

  const title = renaming ? (
    <RenameTitle document={document} onRenamed={(renamed) => onDocumentChange({ title: renamed.title })} onDone={() => setRenaming(false)} />
  ) : (
    <span className="plan-title">
      <a href="/" className="plan-title__back" onClick={linkClick('/')}>
        {t('editor.backToPlans')}
      </a>
      <span aria-hidden="true" className="plan-title__sep">
        /
      </span>
      <span className="plan-title__text">{document.title}</span>
      {can(role, 'editText') && (
        <button type="button" className="button button--small button--quiet" onClick={() => setRenaming(true)}>
          {t('documents.rename')}
        </button>
      )}
    </span>
  );

  return (
    <div className="workspace">
      <TopBar
        user={user}
        actions={
          <>
            <ConnectionIndicator snapshot={snapshot} />
            <PresenceList people={people} />
            <ExportMenu documentId={document.id} />
            <HistoryButtons documentId={document.id} role={role} />
            <button type="button" className="button" onClick={() => setParticipantsOpen(true)}>
              {t('participants.open')}
            </button>
          </>
        }
      >
        {title}
      </TopBar>
      <div className="workspace__body">
        <OutlineNav editor={editor} />
        <main id="main" className="workspace__main" tabIndex={-1}>
          {unsavedNotice}
          {closed && (
            <div className="banner banner--error" role="alert">
              {closeExplanation(snapshot, t)}{' '}
              <a href="/" onClick={linkClick('/')}>
                {t('error.backToPlans')}
              </a>
            </div>
          )}
          {storageProblem && (
            <div className="banner banner--warning" role="alert">
              {t('notice.storage')}
            </div>
          )}
          {!can(role, 'editText') && !can(role, 'suggest') && (
            <div className="banner banner--info" role="note">
              {t('editor.readOnly', { role: roleLabel(role, t) })}
            </div>
          )}
          {can(role, 'suggest') && !closed && (
            <div className="writing-mode">
              <SuggestModeSwitch mode={suggesting ? 'suggest' : 'edit'} onChange={setWritingMode} canEdit={can(role, 'editText')} />
            </div>
          )}
          {editor && (
            <PlanEditor
              editor={editor}
              editable={editable}
              linkDialogOpen={linkDialogOpen}
              setLinkDialogOpen={setLinkDialogOpen}
              onRequestComment={
                can(role, 'comment')
                  ? () => {
                      if (!startCommentOnSelection(editor, comments.controller)) showToast(t('comments.selectFirst'), 'info');
                    }
                  : undefined
              }
            />
          )}
        </main>
        <div className="workspace__margin">
          <aside className="workspace__side" aria-label={t('suggestions.title')}>
            <SuggestionsPanel editor={editor} connection={connection} suggestions={suggestions} actions={suggestionActions} onError={(message) => showToast(message, 'error')} />
          </aside>
          {editor && <CommentsPanel editor={editor} feature={comments} documentId={document.id} user={user} role={role} status={snapshot.status} closed={closed} />}
        </div>
      </div>
      <ParticipantsDialog documentId={document.id} role={role} selfId={user.id} open={participantsOpen} onClose={() => setParticipantsOpen(false)} />
    </div>
  );
}
