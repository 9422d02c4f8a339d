-- Trimming the outlet event log (the live-event outbox and replay log).
--
-- The server's role only appends to the log. Trimming is a maintenance job
-- run with the owner's connection (`pos-server prune-events`, daily): this
-- function, owned by pos_xt (which bypasses RLS) and executable by the owner
-- role only, deletes per outlet a prefix of the log: every event that is both
-- older than p_keep_days and not among the newest p_keep_last. Deleting a
-- prefix (never an event in the middle) keeps the log gapless; a client that
-- resumes from before the new start gets `reset` and reloads. p_outlet
-- limits it to one outlet (NULL: every outlet of every brand).
CREATE FUNCTION app.prune_outlet_events(p_keep_days integer, p_keep_last bigint, p_outlet uuid DEFAULT NULL) RETURNS bigint
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    WITH cut AS (
      SELECT s.tenant_id, s.outlet_id,
             -- (LEAST skips NULLs: no event old enough must mean nothing to cut.)
             LEAST(s.last_seq - greatest(p_keep_last, 0),
                   coalesce((SELECT max(e.seq) FROM outlet_events e
                              WHERE e.tenant_id = s.tenant_id AND e.outlet_id = s.outlet_id
                                AND e.at < now() - make_interval(days => greatest(p_keep_days, 0))), 0)) AS upto
        FROM outlet_event_seq s
       WHERE p_outlet IS NULL OR s.outlet_id = p_outlet
    ), gone AS (
      DELETE FROM outlet_events e USING cut
       WHERE e.tenant_id = cut.tenant_id AND e.outlet_id = cut.outlet_id AND e.seq <= cut.upto
      RETURNING 1
    )
    SELECT count(*) FROM gone
  $$;

GRANT SELECT ON outlet_event_seq TO pos_xt;
GRANT SELECT, DELETE ON outlet_events TO pos_xt;
ALTER FUNCTION app.prune_outlet_events(integer, bigint, uuid) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.prune_outlet_events(integer, bigint, uuid) FROM PUBLIC, pos_app;
GRANT EXECUTE ON FUNCTION app.prune_outlet_events(integer, bigint, uuid) TO pos_owner;
