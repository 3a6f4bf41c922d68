// The console: checks the session (GET /v1/session), shows sign-in until there is one, then the screen the hash
// names inside the frame. A 401 from any call ends the session here too.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, messageOf, whenUnauthorized, type Actor } from './api.ts';
import { Layout } from './components/Layout.tsx';
import { PromptProvider } from './components/Prompt.tsx';
import { Loading } from './components/State.tsx';
import { ToastProvider, useNotify } from './components/Toasts.tsx';
import { useRoute, type Route } from './router.ts';
import { SessionContext } from './session.ts';
import { Alerts } from './screens/Alerts.tsx';
import { Channels } from './screens/Channels.tsx';
import { Deliveries } from './screens/Deliveries.tsx';
import { Drift } from './screens/Drift.tsx';
import { Exceptions } from './screens/Exceptions.tsx';
import { Overview } from './screens/Overview.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { Stock } from './screens/Stock.tsx';
import { Trace } from './screens/Trace.tsx';
import { Workflows } from './screens/Workflows.tsx';

type Session = { state: 'checking' } | { state: 'signed-out'; note?: string } | { state: 'signed-in'; actor: Actor };

export function App() {
  return (
    <ToastProvider>
      <PromptProvider>
        <Console />
      </PromptProvider>
    </ToastProvider>
  );
}

function Console() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const route = useRoute();
  const notify = useNotify();

  useEffect(() => {
    api.get<{ actor: Actor }>('/v1/session').then(
      (s) => setSession({ state: 'signed-in', actor: s.actor }),
      (e: unknown) => setSession({ state: 'signed-out', note: e instanceof ApiError && e.status === 401 ? undefined : messageOf(e) }),
    );
    whenUnauthorized(() => setSession((s) => (s.state === 'signed-in' ? { state: 'signed-out', note: 'Your session has ended: sign in again.' } : s)));
    return () => whenUnauthorized(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.del('/v1/session');
    } catch (e) {
      // Signed out here either way; say so if the hub did not hear it.
      notify.error(e);
    }
    setSession({ state: 'signed-out' });
  }, [notify]);

  if (session.state === 'checking') return <Loading what="Checking session" />;
  if (session.state === 'signed-out') {
    return <SignIn note={session.note} onSignedIn={(actor) => setSession({ state: 'signed-in', actor })} />;
  }
  return (
    <SessionContext.Provider value={session.actor}>
      <Layout screen={route.screen} actor={session.actor} onSignOut={signOut}>
        <ScreenOf route={route} />
      </Layout>
    </SessionContext.Provider>
  );
}

function ScreenOf({ route }: { route: Route }) {
  switch (route.screen) {
    case 'overview': return <Overview />;
    case 'exceptions': return <Exceptions route={route} />;
    case 'trace': return <Trace route={route} />;
    case 'deliveries': return <Deliveries route={route} />;
    case 'workflows': return <Workflows route={route} />;
    case 'drift': return <Drift route={route} />;
    case 'channels': return <Channels route={route} />;
    case 'stock': return <Stock />;
    case 'alerts': return <Alerts route={route} />;
  }
}
