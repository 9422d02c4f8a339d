DROP FUNCTION app.append_outlet_event(uuid, text, jsonb);
CREATE FUNCTION app.append_outlet_event(p_outlet uuid, p_kind text, p_data jsonb) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    WITH s AS (
      INSERT INTO outlet_event_seq AS c (tenant_id, outlet_id, last_seq)
      VALUES (app.current_tenant(), p_outlet, 1)
      ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_seq = c.last_seq + 1
      RETURNING last_seq
    )
    INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data)
    SELECT app.current_tenant(), p_outlet, s.last_seq, p_kind, p_data FROM s
    RETURNING seq
  $$;
GRANT EXECUTE ON FUNCTION app.append_outlet_event(uuid, text, jsonb) TO pos_app;
DROP FUNCTION app.event_order_id(text, jsonb);
ALTER TABLE outlet_events DROP COLUMN order_device_id;
-- Board devices, if any, keep their rows: the old rule is not checked against them.
ALTER TABLE devices DROP CONSTRAINT devices_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_kind_check CHECK (kind IN ('kiosk', 'kds')) NOT VALID;
