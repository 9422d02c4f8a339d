-- Appending an outlet event was a SQL function whose body (an INSERT with
-- CTEs) is never inlined: PostgreSQL planned it again in every statement
-- that called it, under the row-level security policies of three tables,
-- and order intake calls it for every new order while it holds the
-- outlet's counter row. In PL/pgSQL its three statements are planned once
-- per connection and their plans kept (measured with pgbench on the
-- create-order statements: see issue 15's closing note). Same arguments,
-- same result, same order of effects.
CREATE OR REPLACE FUNCTION app.append_outlet_event(p_outlet uuid, p_kind text, p_data jsonb)
  RETURNS TABLE (seq bigint, order_device_id uuid)
  LANGUAGE plpgsql VOLATILE
  AS $$
  #variable_conflict use_column
  DECLARE
    v_tenant uuid := app.current_tenant();
    v_order uuid := app.event_order_id(p_kind, p_data);
    v_seq bigint;
    v_device uuid;
  BEGIN
    INSERT INTO outlet_event_seq AS c (tenant_id, outlet_id, last_seq)
    VALUES (v_tenant, p_outlet, 1)
    ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_seq = c.last_seq + 1
    RETURNING c.last_seq INTO v_seq;
    IF v_order IS NOT NULL THEN
      SELECT o.device_id INTO v_device FROM orders o WHERE o.tenant_id = v_tenant AND o.id = v_order;
    END IF;
    INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data, order_device_id)
    VALUES (v_tenant, p_outlet, v_seq, p_kind, p_data, v_device);
    RETURN QUERY SELECT v_seq, v_device;
  END
  $$;
