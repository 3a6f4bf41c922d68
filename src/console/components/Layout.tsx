// The frame around every screen: the left navigation, and the header with the signed-in actor and sign-out.
import type { ReactNode } from 'react';
import type { Actor } from '../api.ts';
import { href, type Screen } from '../router.ts';

export const SCREEN_TITLES: Record<Screen, string> = {
  overview: 'Overview',
  exceptions: 'Exceptions',
  trace: 'Trace',
  deliveries: 'Deliveries',
  workflows: 'Workflows',
  drift: 'Master data drift',
  channels: 'Channels',
  stock: 'Stock-out risk',
  alerts: 'Alerts',
};

const SECTIONS: { label: string; screens: Screen[] }[] = [
  { label: 'Monitor', screens: ['overview', 'alerts', 'channels'] },
  { label: 'Work', screens: ['exceptions', 'deliveries', 'workflows'] },
  { label: 'Investigate', screens: ['trace', 'drift', 'stock'] },
];

export function Layout({ screen, actor, onSignOut, children }: { screen: Screen; actor: Actor; onSignOut: () => void; children: ReactNode }) {
  return (
    <div className="shell">
      <nav className="nav" aria-label="Screens">
        <div className="brand"><span className="brand-mark">T</span> Tendon</div>
        {SECTIONS.map((section) => (
          <div key={section.label} className="nav-section">
            <div className="nav-label">{section.label}</div>
            {section.screens.map((s) => (
              <a key={s} href={href(s)} className={s === screen ? 'nav-link active' : 'nav-link'} data-testid={`nav-${s}`}
                aria-current={s === screen ? 'page' : undefined}>
                {SCREEN_TITLES[s]}
              </a>
            ))}
          </div>
        ))}
      </nav>
      <div className="main">
        <header className="topbar">
          <h1>{SCREEN_TITLES[screen]}</h1>
          <div className="topbar-user">
            <span className="user" data-testid="current-user">{actor.name} ({actor.role})</span>
            <button type="button" onClick={onSignOut} data-testid="signout">Sign out</button>
          </div>
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
