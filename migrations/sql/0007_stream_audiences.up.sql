-- Who may see what on an outlet's live event stream.
--
-- The pickup board becomes a device kind of its own: read-only, it sees
-- order numbers and states only (the server projects its events).
ALTER TABLE devices DROP CONSTRAINT devices_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_kind_check CHECK (kind IN ('kiosk', 'kds', 'board'));

-- Kiosks see the events of the orders they placed themselves, no one
-- else's: each event about an order records the device that placed it,
-- looked up when the event is appended (NULL for every other event, and
-- for orders taken by staff).
ALTER TABLE outlet_events ADD COLUMN order_device_id uuid;

-- The order an event is about, by its payload: `order.created` carries the
-- order itself, the others its `order_id`. Anything that is not a uuid is
-- no order (a write never fails over this).
CREATE FUNCTION app.event_order_id(p_kind text, p_data jsonb) RETURNS uuid
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT CASE WHEN ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ref::uuid END
      FROM (SELECT CASE WHEN p_kind = 'order.created' THEN p_data->>'id' ELSE p_data->>'order_id' END AS ref) r
  $$;

DROP FUNCTION app.append_outlet_event(uuid, text, jsonb);
CREATE FUNCTION app.append_outlet_event(p_outlet uuid, p_kind text, p_data jsonb)
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
                WHERE tenant_id = app.current_tenant() AND id = app.event_order_id(p_kind, p_data)) AS device_id
    )
    INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data, order_device_id)
    SELECT app.current_tenant(), p_outlet, s.last_seq, p_kind, p_data, o.device_id FROM s, o
    RETURNING outlet_events.seq, outlet_events.order_device_id
  $$;
GRANT EXECUTE ON FUNCTION app.append_outlet_event(uuid, text, jsonb) TO pos_app;
GRANT EXECUTE ON FUNCTION app.event_order_id(text, jsonb) TO pos_app;
