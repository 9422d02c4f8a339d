-- Email: a transactional outbox, and single-use account links (password
-- reset, staff invitation).
--
-- A mail is written to the outbox in the same transaction as the change
-- that causes it, already rendered (subject, text and HTML), and sent by a
-- worker (any server process: a claimed mail is leased, so two workers
-- never send the same one at once). Sent mails keep their row, marked sent.

CREATE TABLE email_outbox (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('staff_invitation', 'password_reset', 'email_verification',
                                                 'daily_summary', 'e_receipt', 'low_stock')),
  to_address       text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
  subject          text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  text_body        text NOT NULL,
  html_body        text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';

-- Links sent by mail: only a SHA-256 of the token is kept.
CREATE TABLE account_tokens (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  user_id     uuid NOT NULL,
  purpose     text NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
  token_hash  bytea NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX account_tokens_by_user ON account_tokens (tenant_id, user_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['email_outbox', 'account_tokens']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT app.current_tenant())) '
                   'WITH CHECK (tenant_id = (SELECT app.current_tenant()))', t);
  END LOOP;
END $$;

-- The server writes mails and reads them (the admin may show what was
-- sent); only the worker's functions change their state.
GRANT SELECT, INSERT ON email_outbox TO pos_app;
GRANT SELECT, INSERT, UPDATE ON account_tokens TO pos_app;
GRANT SELECT, UPDATE ON email_outbox TO pos_xt;
GRANT SELECT ON account_tokens TO pos_xt;

-- The worker: claims up to p_limit due mails of any tenant (or of p_tenant
-- only, when given) for p_lease.
CREATE FUNCTION app.claim_emails(p_limit integer, p_lease interval, p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, id uuid, to_address text, subject text, text_body text, html_body text,
                 attempts integer)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE email_outbox e
       SET next_attempt_at = now() + p_lease, attempts = e.attempts + 1
      FROM (SELECT o.tenant_id, o.id FROM email_outbox o
             WHERE o.status = 'pending' AND o.next_attempt_at <= now()
               AND (p_tenant IS NULL OR o.tenant_id = p_tenant)
             ORDER BY o.next_attempt_at
             LIMIT least(p_limit, 100)
             FOR UPDATE SKIP LOCKED) due
     WHERE e.tenant_id = due.tenant_id AND e.id = due.id
    RETURNING e.tenant_id, e.id, e.to_address, e.subject, e.text_body, e.html_body, e.attempts
  $$;

-- What became of a claimed mail: sent, to be tried again at p_retry_at, or
-- given up (p_retry_at NULL).
CREATE FUNCTION app.email_attempted(p_tenant uuid, p_id uuid, p_error text, p_retry_at timestamptz)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE email_outbox
       SET status = CASE WHEN p_error IS NULL THEN 'sent' WHEN p_retry_at IS NULL THEN 'failed' ELSE 'pending' END,
           sent_at = CASE WHEN p_error IS NULL THEN now() ELSE sent_at END,
           last_error = left(p_error, 500),
           next_attempt_at = coalesce(p_retry_at, next_attempt_at)
     WHERE tenant_id = p_tenant AND id = p_id AND status = 'pending'
  $$;

-- A link's token, before its tenant is known.
CREATE FUNCTION app.account_token(p_token_hash bytea)
  RETURNS TABLE (tenant_id uuid, token_id uuid, user_id uuid, purpose text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.tenant_id, t.id, t.user_id, t.purpose FROM account_tokens t
     WHERE t.token_hash = p_token_hash AND t.used_at IS NULL AND t.expires_at > now()
  $$;

-- Password reset requests: the active accounts under an email, any tenant.
CREATE FUNCTION app.accounts_by_email(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id FROM users u WHERE u.email = lower(p_email) AND u.active
     ORDER BY u.created_at LIMIT 10
  $$;

ALTER FUNCTION app.claim_emails(integer, interval, uuid) OWNER TO pos_xt;
ALTER FUNCTION app.email_attempted(uuid, uuid, text, timestamptz) OWNER TO pos_xt;
ALTER FUNCTION app.account_token(bytea) OWNER TO pos_xt;
ALTER FUNCTION app.accounts_by_email(text) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.claim_emails(integer, interval, uuid), app.email_attempted(uuid, uuid, text, timestamptz),
  app.account_token(bytea), app.accounts_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.claim_emails(integer, interval, uuid), app.email_attempted(uuid, uuid, text, timestamptz),
  app.account_token(bytea), app.accounts_by_email(text) TO pos_app;
