// Sign-in: POST /v1/session with a username and password; the hub answers with the actor and sets the session
// cookie (HttpOnly, so the console never sees it). A 401 says the credentials are wrong, in the hub's words.
import { useState, type FormEvent } from 'react';
import { api, messageOf, type Actor } from '../api.ts';

export function SignIn({ onSignedIn, note }: { onSignedIn: (actor: Actor) => void; note?: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ actor: Actor; expiresAt: string }>('/v1/session', { username, password });
      onSignedIn(answer.actor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <form className="signin" onSubmit={submit}>
        <div className="brand signin-brand"><span className="brand-mark">T</span> Tendon operations</div>
        {note && !error && <div className="state state-info">{note}</div>}
        <label className="field">
          <span>Username</span>
          <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="signin-username" required />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="signin-password" required />
        </label>
        {error && <div className="state state-error" role="alert" data-testid="signin-error">{error}</div>}
        <button type="submit" className="primary" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
