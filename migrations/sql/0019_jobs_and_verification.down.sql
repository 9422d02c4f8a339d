DROP FUNCTION IF EXISTS app.daily_summaries_due(interval, integer, integer);
DROP TABLE IF EXISTS daily_summaries;
DROP FUNCTION IF EXISTS app.tenants_with_ended_86s(integer);
DROP INDEX IF EXISTS outlet_item_overrides_timed_86;
DROP FUNCTION IF EXISTS app.trim_outlet_events(integer, bigint);
DROP FUNCTION IF EXISTS app.login_legacy_candidates(text, text, uuid, integer);
DROP FUNCTION IF EXISTS app.login_matches(text, text, uuid);
CREATE FUNCTION app.login_matches(p_email text, p_hash text, p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, user_id uuid, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, t.name
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.password_hash = p_hash AND u.active
       AND (p_tenant IS NULL OR u.tenant_id = p_tenant)
     ORDER BY u.created_at
  $$;
CREATE FUNCTION app.login_legacy_candidates(p_email text, p_prefix text, p_tenant uuid, p_limit integer)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, u.password_hash, t.name
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
DELETE FROM account_tokens WHERE purpose = 'email_verification';
ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check;
ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('password_reset', 'invitation'));
ALTER TABLE users DROP COLUMN IF EXISTS email_verified_at;
