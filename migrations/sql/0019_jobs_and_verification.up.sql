-- Scheduled jobs run by the servers themselves (one leader at a time) and
-- sign-up email verification.

-- 1. Email verification. An account's email is verified by a mailed link
--    (a sign-up) or by setting a password through one (an invitation, a
--    reset). Accounts from before count as verified.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;

ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
  CHECK (purpose IN ('password_reset', 'invitation', 'email_verification'));

-- Sign-in sees whether each matching account's email is verified: of
-- several accounts under one email, unverified ones (anybody can sign up
-- with anybody's address) never stand in the way of a verified one.
DROP FUNCTION app.login_matches(text, text, uuid);
CREATE FUNCTION app.login_matches(p_email text, p_hash text, p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, user_id uuid, tenant_name text, verified boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, t.name, u.email_verified_at IS NOT NULL
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.password_hash = p_hash AND u.active
       AND (p_tenant IS NULL OR u.tenant_id = p_tenant)
     ORDER BY u.created_at
  $$;
DROP FUNCTION app.login_legacy_candidates(text, text, uuid, integer);
CREATE FUNCTION app.login_legacy_candidates(p_email text, p_prefix text, p_tenant uuid, p_limit integer)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, tenant_name text, verified boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, u.password_hash, t.name, u.email_verified_at IS NOT NULL
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.active AND NOT starts_with(u.password_hash, p_prefix)
       AND (p_tenant IS NULL OR u.tenant_id = p_tenant)
     ORDER BY u.created_at
     LIMIT least(greatest(p_limit, 0), 50)
  $$;
ALTER FUNCTION app.login_matches(text, text, uuid) OWNER TO pos_xt;
ALTER FUNCTION app.login_legacy_candidates(text, text, uuid, integer) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.login_matches(text, text, uuid), app.login_legacy_candidates(text, text, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.login_matches(text, text, uuid), app.login_legacy_candidates(text, text, uuid, integer) TO pos_app;

-- 2. The event-log trim as a scheduled job of the servers: the server's
--    role may run the owner's prune only with floors it cannot go under
--    (a day of events and the newest 5,000 per outlet are always kept).
CREATE FUNCTION app.trim_outlet_events(p_keep_days integer, p_keep_last bigint) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT app.prune_outlet_events(greatest(p_keep_days, 1), greatest(p_keep_last, 5000), NULL)
  $$;
ALTER FUNCTION app.trim_outlet_events(integer, bigint) OWNER TO pos_xt;
GRANT EXECUTE ON FUNCTION app.prune_outlet_events(integer, bigint, uuid) TO pos_xt;
REVOKE ALL ON FUNCTION app.trim_outlet_events(integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.trim_outlet_events(integer, bigint) TO pos_app;

-- 3. Timed 86s: the tenants with an item whose 86 has run out, so the job
--    can turn it back on (and tell the devices) under each tenant's scope.
GRANT SELECT ON outlet_item_overrides TO pos_xt;
CREATE FUNCTION app.tenants_with_ended_86s(p_limit integer)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT DISTINCT o.tenant_id FROM outlet_item_overrides o
     WHERE NOT o.available AND o.unavailable_until <= now() AND o.deleted_at IS NULL
     LIMIT least(greatest(p_limit, 0), 1000)
  $$;
CREATE INDEX outlet_item_overrides_timed_86 ON outlet_item_overrides (unavailable_until)
  WHERE NOT available AND unavailable_until IS NOT NULL AND deleted_at IS NULL;
ALTER FUNCTION app.tenants_with_ended_86s(integer) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.tenants_with_ended_86s(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.tenants_with_ended_86s(integer) TO pos_app;

-- 4. Daily sales summaries: one row per outlet and business day once its
--    mails are in the outbox (the row and the mails in one transaction, so
--    a summary goes out once however many servers or restarts).
CREATE TABLE daily_summaries (
  tenant_id      uuid NOT NULL,
  outlet_id      uuid NOT NULL,
  business_date  date NOT NULL,
  recipients     integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, outlet_id, business_date),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE daily_summaries ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_summaries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON daily_summaries USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
GRANT SELECT, INSERT ON daily_summaries TO pos_app;
GRANT SELECT ON daily_summaries, outlets TO pos_xt;

-- Outlets whose business day p_days_back..1 days ago (in the outlet's own
-- time zone) ended more than p_grace ago (orders taken offline that day
-- have had time to arrive) without a summary; the outlet existed that day.
CREATE FUNCTION app.daily_summaries_due(p_grace interval, p_days_back integer, p_limit integer)
  RETURNS TABLE (tenant_id uuid, outlet_id uuid, business_date date)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT o.tenant_id, o.id, d.day::date
      FROM outlets o
      CROSS JOIN LATERAL generate_series(((now() - p_grace) AT TIME ZONE o.timezone)::date - greatest(least(p_days_back, 7), 1),
                                         ((now() - p_grace) AT TIME ZONE o.timezone)::date - 1, interval '1 day') AS d(day)
     WHERE o.archived_at IS NULL
       AND d.day::date >= (o.created_at AT TIME ZONE o.timezone)::date
       AND NOT EXISTS (SELECT 1 FROM daily_summaries s
                        WHERE s.tenant_id = o.tenant_id AND s.outlet_id = o.id AND s.business_date = d.day::date)
     ORDER BY d.day
     LIMIT least(greatest(p_limit, 0), 1000)
  $$;
ALTER FUNCTION app.daily_summaries_due(interval, integer, integer) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.daily_summaries_due(interval, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.daily_summaries_due(interval, integer, integer) TO pos_app;
