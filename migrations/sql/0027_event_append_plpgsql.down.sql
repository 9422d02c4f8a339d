-- Back to the SQL function of 0025.
CREATE OR REPLACE FUNCTION app.append_outlet_event(p_outlet uuid, p_kind text, p_data jsonb)
  RETURNS TABLE (seq bigint, order_device_id uuid)
  LANGUAGE sql VOLATILE
  AS $$
    WITH s AS (
      INSERT INTO outlet_event_seq AS c (tenant_id, outlet_id, last_seq)
      VALUES (app.current_tenant(), p_outlet, 1)
      ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_seq = c.last_seq + 1
      RETURNING last_seq
    ), o AS (
      SELECT (SELECT device_id FROM orders
                WHERE tenant_id = app.current_tenant() AND id = (SELECT app.event_order_id(p_kind, p_data))) AS device_id
    )
    INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data, order_device_id)
    SELECT app.current_tenant(), p_outlet, s.last_seq, p_kind, p_data, o.device_id FROM s, o
    RETURNING outlet_events.seq, outlet_events.order_device_id
  $$;
