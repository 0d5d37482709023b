/** "Conectado" / "Reconectando…" / "Sin conexión — N cambios…", announced politely. */
import './connection.css';
import { CloseCode } from '../../../../shared/protocol.ts';
import type { Translate } from '../i18n/i18n.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { ConnectionSnapshot } from './collabConnection.ts';

/** The words for a connection state. */
export function connectionLabel(snapshot: ConnectionSnapshot, t: Translate): string {
  switch (snapshot.status) {
    case 'connected':
      return t('connection.connected');
    case 'connecting':
    case 'reconnecting':
      return t('connection.reconnecting');
    case 'offline':
      return snapshot.pendingChanges === 1 ? t('connection.offlineOne') : t('connection.offline', { count: snapshot.pendingChanges });
    case 'closed':
      // The full explanation is in the editor's alert banner; the pill stays short.
      return t('connection.closedShort');
  }
}

/** Why the server ended the connection, in words a person can act on. */
export function closeExplanation(snapshot: ConnectionSnapshot, t: Translate): string {
  switch (snapshot.closeCode) {
    case CloseCode.Unauthorized:
      return t('connection.unauthorized');
    case CloseCode.Forbidden:
      return t('connection.forbidden');
    case CloseCode.DocumentNotFound:
      return t('connection.notFound');
    default:
      return t('connection.closed', { reason: snapshot.closeReason || String(snapshot.closeCode) });
  }
}

/** The small status pill in the top bar. */
export function ConnectionIndicator({ snapshot }: { snapshot: ConnectionSnapshot }) {
  const { t } = useT();
  return (
    <div className={`connection connection--${snapshot.status}`} role="status" aria-live="polite">
      <span className="connection__dot" aria-hidden="true" />
      <span>{connectionLabel(snapshot, t)}</span>
    </div>
  );
}
