-- 007: sign-in for the console on the same actors as the API tokens (one identity system). An actor may have a
-- username and password (scrypt, src/security/passwords.ts); signing in issues a session token kept, like API
-- tokens, only as a hash in api_tokens, with an expiry. API tokens keep expires_at NULL (they do not expire).
CREATE TABLE users (
  actor_id      TEXT PRIMARY KEY REFERENCES actors(id),
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER; -- epoch ms; NULL for API tokens
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api'; -- api | session
-- Expired sessions are swept by expiry.
CREATE INDEX api_tokens_expiring ON api_tokens(expires_at) WHERE expires_at IS NOT NULL;
