/** A centred message page (signed out, not found, failures) with an optional action. */
import type { ReactNode } from 'react';

/** Full-page message inside <main>. */
export function MessagePage({ title, children, role }: { title: string; children?: ReactNode; role?: 'alert' | 'status' }) {
  return (
    <main id="main" className="message-page" tabIndex={-1}>
      <div className="message-page__card" role={role}>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
