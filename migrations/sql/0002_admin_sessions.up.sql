-- Web admin sessions: an HttpOnly cookie names the session; the row holds
-- its CSRF token. Revocable server-side; tenant-isolated like everything else.
CREATE TABLE admin_sessions (
  tenant_id     uuid NOT NULL,
  id            uuid NOT NULL,
  user_id       uuid NOT NULL,
  token_hash    bytea NOT NULL,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX admin_sessions_hash ON admin_sessions (tenant_id, token_hash);
CREATE INDEX admin_sessions_user ON admin_sessions (tenant_id, user_id);

ALTER TABLE admin_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON admin_sessions
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
GRANT SELECT, INSERT, UPDATE, DELETE ON admin_sessions TO pos_app;
