DROP FUNCTION IF EXISTS app.prune_outlet_events(integer, bigint, uuid);
REVOKE SELECT, DELETE ON outlet_events FROM pos_xt;
REVOKE SELECT ON outlet_event_seq FROM pos_xt;
