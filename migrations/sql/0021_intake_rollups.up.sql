-- Sales rollups cheap on order intake (issue 13 §2, issue 15: the counter row).
--
-- 0017 kept the rollups with a row trigger on every INSERT or UPDATE of
-- `orders` and `payments`. On intake that trigger ran inside the statement
-- that takes the outlet's pickup number, so a busy outlet's orders queued
-- behind its counter row for the rollup writes too; and every kitchen bump
-- (a status change) called it only to find nothing to write.
--
-- Now:
-- * Intake writes a new order's rollups itself, in one call
--   (`app.rollup_placed_order`) made before it takes the number, and marks
--   the order's id (transaction-local `app.rolled_up_order`) so the insert
--   trigger skips exactly that order. Every other insert (a split check, any
--   later path) still gets its rollups from the trigger: none can forget.
-- * The triggers fire only when what the rollups count changed (`WHEN`), so
--   status changes of a live order, kitchen releases and other bookkeeping
--   write nothing and call nothing.
-- The figures and their rules are those of 0017 (`app.rollup_order`,
-- `app.order_item_mix`); only who calls them and when changes.

-- A new order's sales and items, for the outlet's local hour and day now
-- (the order's `created_at` is the transaction's `now()` too). The order is
-- being placed: neither cancelled nor void, no discount (discounts come
-- later, as updates), nothing refunded. plpgsql, so its two statements are
-- planned once per connection.
CREATE FUNCTION app.rollup_placed_order(p_order uuid, p_outlet uuid, p_channel text, p_gross bigint, p_tax bigint,
                                        p_service_charge bigint, p_lines jsonb)
  RETURNS void
  LANGUAGE plpgsql VOLATILE
  AS $$
  DECLARE
    tenant uuid := app.current_tenant();
    local_at timestamp := app.outlet_local_time(tenant, p_outlet, now());
  BEGIN
    PERFORM set_config('app.rolled_up_order', p_order::text, true);
    INSERT INTO sales_rollup (tenant_id, outlet_id, local_hour, channel, orders, gross_minor, discount_minor,
                              refund_minor, tax_minor, service_charge_minor)
    VALUES (tenant, p_outlet, date_trunc('hour', local_at), p_channel, 1, p_gross, 0, 0, p_tax, p_service_charge);
    INSERT INTO item_rollup (tenant_id, outlet_id, local_date, kind, ref_id, name, orders, qty, gross_minor,
                             discount_minor)
    SELECT tenant, p_outlet, local_at::date, m.kind, m.ref_id, m.name, 1, m.qty, m.gross_minor, m.discount_minor
      FROM app.order_item_mix(p_lines) m;
  END
  $$;
REVOKE ALL ON FUNCTION app.rollup_placed_order(uuid, uuid, text, bigint, bigint, bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.rollup_placed_order(uuid, uuid, text, bigint, bigint, bigint, jsonb) TO pos_app;

DROP TRIGGER orders_rollup ON orders;
CREATE TRIGGER orders_rollup_insert AFTER INSERT ON orders
  FOR EACH ROW
  WHEN (NEW.id::text IS DISTINCT FROM current_setting('app.rolled_up_order', true))
  EXECUTE FUNCTION app.rollup_order();
CREATE TRIGGER orders_rollup AFTER UPDATE ON orders
  FOR EACH ROW
  WHEN ((OLD.status <> 'cancelled' AND OLD.payment_status <> 'void')
          IS DISTINCT FROM (NEW.status <> 'cancelled' AND NEW.payment_status <> 'void')
        OR (OLD.outlet_id, OLD.channel, OLD.created_at, OLD.subtotal_minor, OLD.discount_minor, OLD.refunded_minor,
            OLD.tax_minor, OLD.service_charge_minor, OLD.lines)
          IS DISTINCT FROM
           (NEW.outlet_id, NEW.channel, NEW.created_at, NEW.subtotal_minor, NEW.discount_minor, NEW.refunded_minor,
            NEW.tax_minor, NEW.service_charge_minor, NEW.lines))
  EXECUTE FUNCTION app.rollup_order();

DROP TRIGGER payments_rollup ON payments;
CREATE TRIGGER payments_rollup_insert AFTER INSERT ON payments
  FOR EACH ROW
  WHEN (NEW.status = 'paid')
  EXECUTE FUNCTION app.rollup_payment();
CREATE TRIGGER payments_rollup AFTER UPDATE ON payments
  FOR EACH ROW
  WHEN ((OLD.status = 'paid') IS DISTINCT FROM (NEW.status = 'paid')
        OR (OLD.outlet_id, OLD.method, OLD.amount_minor, OLD.refunded_minor, OLD.created_at, OLD.paid_at)
          IS DISTINCT FROM
           (NEW.outlet_id, NEW.method, NEW.amount_minor, NEW.refunded_minor, NEW.created_at, NEW.paid_at))
  EXECUTE FUNCTION app.rollup_payment();

-- Each delta row wrote three index entries: the primary key (tenant_id, id),
-- the reports' index and compaction's index on (id). An identity is unique
-- by itself, so the primary key on (id) serves compaction and a row writes
-- two.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sales_rollup', 'item_rollup', 'payment_rollup']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, t || '_pkey');
    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (id)', t);
    EXECUTE format('DROP INDEX %I', t || '_by_id');
  END LOOP;
END $$;
