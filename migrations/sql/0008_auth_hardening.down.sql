DROP FUNCTION app.ended_streams(uuid[], uuid[], text[], uuid[], uuid[]);
REVOKE SELECT ON refresh_tokens, admin_sessions FROM pos_xt;
DROP FUNCTION app.works_beyond_scope(uuid);
ALTER TABLE admin_sessions DROP COLUMN absolute_expires_at;
DROP FUNCTION app.login_legacy_candidates(text, text, uuid, integer);
DROP FUNCTION app.login_matches(text, text, uuid);

CREATE FUNCTION app.login_candidates(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, u.password_hash, t.name
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.active
     ORDER BY u.created_at
     LIMIT 10
  $$;
ALTER FUNCTION app.login_candidates(text) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.login_candidates(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.login_candidates(text) TO pos_app;
