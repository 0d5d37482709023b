/** "Hitos" and "Versiones" in the editor's top bar, with the dialogs they open. */
import { useState } from 'react';
import type { Role } from '../../../../shared/roles.ts';
import { useT } from '../i18n/i18n.tsx';
import { MilestonesDialog } from '../milestones/MilestonesDialog.tsx';
import { HistoryDialog } from './HistoryDialog.tsx';

/** The two buttons and their dialogs; every role may open both. */
export function HistoryButtons({ documentId, role }: { documentId: string; role: Role }) {
  const { t } = useT();
  const [open, setOpen] = useState<'milestones' | 'versions' | null>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen('milestones')}>
        {t('milestones.open')}
      </button>
      <button type="button" className="button" onClick={() => setOpen('versions')}>
        {t('history.open')}
      </button>
      <MilestonesDialog documentId={documentId} role={role} open={open === 'milestones'} onClose={() => setOpen(null)} />
      <HistoryDialog documentId={documentId} role={role} open={open === 'versions'} onClose={() => setOpen(null)} />
    </>
  );
}
