-- Sales rollups for reports: what orders, their items and payments add to
-- each outlet's local hour (sales) or local day (items, payments).
--
-- Kept by triggers in the writing transaction of every order, payment and
-- refund change (cancellations, voids, discounts, rounds and splits of table
-- checks all update `orders` or `payments`), so no code path can forget them.
--
-- The hot row: a busy outlet's orders would all update one `(outlet, hour)`
-- row and queue behind its lock until each commits. So the triggers only
-- ever INSERT delta rows (no row is shared by two writers), and
-- `app.compact_sales_rollups()` (a scheduled job) later folds the deltas of
-- each key into one row. A report sums whatever rows a key has; compacted or
-- not, the sum is the same.
--
-- What counts: an order that is neither cancelled nor void. Its refunds count
-- against the order's own hour (a day's net is what that day's orders finally
-- brought in). Hours and days are the outlet's local time when the order was
-- placed (the payment taken, for payments).

CREATE TABLE sales_rollup (
  tenant_id             uuid NOT NULL,
  outlet_id             uuid NOT NULL,
  local_hour            timestamp NOT NULL,
  channel               text NOT NULL,
  orders                bigint NOT NULL,
  gross_minor           bigint NOT NULL,
  discount_minor        bigint NOT NULL,
  refund_minor          bigint NOT NULL,
  tax_minor             bigint NOT NULL,
  service_charge_minor  bigint NOT NULL,
  id                    bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX sales_rollup_by_hour ON sales_rollup (tenant_id, outlet_id, local_hour);

CREATE TABLE item_rollup (
  tenant_id       uuid NOT NULL,
  outlet_id       uuid NOT NULL,
  local_date      date NOT NULL,
  -- `item` (a menu item; its revenue includes its modifiers) or `modifier`
  -- (an option; revenue is the option's own price).
  kind            text NOT NULL CHECK (kind IN ('item', 'modifier')),
  ref_id          uuid NOT NULL,
  name            text NOT NULL,
  orders          bigint NOT NULL,
  qty             bigint NOT NULL,
  gross_minor     bigint NOT NULL,
  discount_minor  bigint NOT NULL,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX item_rollup_by_date ON item_rollup (tenant_id, outlet_id, local_date);

CREATE TABLE payment_rollup (
  tenant_id      uuid NOT NULL,
  outlet_id      uuid NOT NULL,
  local_date     date NOT NULL,
  method         text NOT NULL,
  payments       bigint NOT NULL,
  amount_minor   bigint NOT NULL,
  refund_minor   bigint NOT NULL,
  id             bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX payment_rollup_by_date ON payment_rollup (tenant_id, outlet_id, local_date);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sales_rollup', 'item_rollup', 'payment_rollup']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY outlet_isolation ON %I
      USING (tenant_id = (SELECT app.current_tenant())
             AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
      WITH CHECK (tenant_id = (SELECT app.current_tenant())
             AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))$p$, t);
  END LOOP;
END $$;

-- The server appends (through the triggers) and reads; only compaction deletes.
GRANT SELECT, INSERT ON sales_rollup, item_rollup, payment_rollup TO pos_app;
GRANT SELECT, INSERT, DELETE ON sales_rollup, item_rollup, payment_rollup TO pos_xt;
GRANT SELECT ON orders, outlets TO pos_xt;

-- The outlet's local time of an instant (the outlet is in the writer's scope).
CREATE FUNCTION app.outlet_local_time(p_tenant uuid, p_outlet uuid, p_at timestamptz) RETURNS timestamp
  LANGUAGE sql STABLE
  AS $$
    SELECT p_at AT TIME ZONE coalesce((SELECT o.timezone FROM outlets o WHERE o.tenant_id = p_tenant AND o.id = p_outlet), 'UTC')
  $$;

-- An order's items and modifiers, one row per item (or option) and order.
-- A line without an item id (none the server writes) is left out.
CREATE FUNCTION app.order_item_mix(p_lines jsonb)
  RETURNS TABLE (kind text, ref_id uuid, name text, qty bigint, gross_minor bigint, discount_minor bigint)
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT 'item', (l->>'menu_item_id')::uuid, coalesce(max(l->>'name'), ''), sum(coalesce((l->>'qty')::bigint, 0)),
           sum(coalesce((l->>'line_total_minor')::bigint, 0)), sum(coalesce((l->>'discount_minor')::bigint, 0))
      FROM jsonb_array_elements(p_lines) l
     WHERE l->>'menu_item_id' IS NOT NULL
     GROUP BY 2
    UNION ALL
    -- An option is named with its item: two items' `Regular` are two rows.
    SELECT 'modifier', (m->>'option_id')::uuid, coalesce(max((l->>'name') || ' · ' || (m->>'name')), ''),
           sum(coalesce((l->>'qty')::bigint, 0)),
           sum(coalesce((l->>'qty')::bigint, 0) * coalesce((m->>'price_minor')::bigint, 0)), 0
      FROM jsonb_array_elements(p_lines) l, jsonb_array_elements(CASE WHEN jsonb_typeof(l->'modifiers') = 'array' THEN l->'modifiers' ELSE '[]' END) m
     WHERE l->>'menu_item_id' IS NOT NULL AND m->>'option_id' IS NOT NULL
     GROUP BY 2
  $$;

CREATE FUNCTION app.rollup_order() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    old_on boolean := TG_OP = 'UPDATE' AND OLD.status <> 'cancelled' AND OLD.payment_status <> 'void';
    new_on boolean := NEW.status <> 'cancelled' AND NEW.payment_status <> 'void';
  BEGIN
    IF TG_OP = 'UPDATE' AND old_on = new_on AND (NOT new_on OR (
         (OLD.outlet_id, OLD.channel, OLD.created_at, OLD.subtotal_minor, OLD.discount_minor, OLD.refunded_minor,
          OLD.tax_minor, OLD.service_charge_minor, OLD.lines)
         IS NOT DISTINCT FROM
         (NEW.outlet_id, NEW.channel, NEW.created_at, NEW.subtotal_minor, NEW.discount_minor, NEW.refunded_minor,
          NEW.tax_minor, NEW.service_charge_minor, NEW.lines))) THEN
      RETURN NULL;
    END IF;

    INSERT INTO sales_rollup (tenant_id, outlet_id, local_hour, channel, orders, gross_minor, discount_minor,
                              refund_minor, tax_minor, service_charge_minor)
    SELECT NEW.tenant_id, v.outlet_id, date_trunc('hour', app.outlet_local_time(NEW.tenant_id, v.outlet_id, v.at)),
           v.channel, sum(v.sign), sum(v.sign * v.gross), sum(v.sign * v.discount), sum(v.sign * v.refund),
           sum(v.sign * v.tax), sum(v.sign * v.sc)
      FROM (SELECT -1 AS sign, OLD.outlet_id, OLD.channel, OLD.created_at AS at, OLD.subtotal_minor AS gross,
                   OLD.discount_minor AS discount, OLD.refunded_minor AS refund, OLD.tax_minor AS tax,
                   OLD.service_charge_minor AS sc
             WHERE old_on
            UNION ALL
            SELECT 1, NEW.outlet_id, NEW.channel, NEW.created_at, NEW.subtotal_minor, NEW.discount_minor,
                   NEW.refunded_minor, NEW.tax_minor, NEW.service_charge_minor
             WHERE new_on) v
     GROUP BY 2, 3, 4
    HAVING sum(v.sign) <> 0 OR sum(v.sign * v.gross) <> 0 OR sum(v.sign * v.discount) <> 0
        OR sum(v.sign * v.refund) <> 0 OR sum(v.sign * v.tax) <> 0 OR sum(v.sign * v.sc) <> 0;

    IF old_on = new_on AND (NOT new_on OR ((OLD.outlet_id, OLD.created_at, OLD.lines)
                                           IS NOT DISTINCT FROM (NEW.outlet_id, NEW.created_at, NEW.lines))) THEN
      RETURN NULL;
    END IF;

    INSERT INTO item_rollup (tenant_id, outlet_id, local_date, kind, ref_id, name, orders, qty, gross_minor,
                             discount_minor)
    SELECT NEW.tenant_id, v.outlet_id, app.outlet_local_time(NEW.tenant_id, v.outlet_id, v.at)::date,
           m.kind, m.ref_id, max(m.name), sum(v.sign), sum(v.sign * m.qty), sum(v.sign * m.gross_minor),
           sum(v.sign * m.discount_minor)
      FROM (SELECT -1 AS sign, OLD.outlet_id, OLD.created_at AS at, OLD.lines AS lines WHERE old_on
            UNION ALL
            SELECT 1, NEW.outlet_id, NEW.created_at, NEW.lines WHERE new_on) v
      CROSS JOIN LATERAL app.order_item_mix(v.lines) m
     GROUP BY 2, 3, 4, 5
    HAVING sum(v.sign) <> 0 OR sum(v.sign * m.qty) <> 0 OR sum(v.sign * m.gross_minor) <> 0
        OR sum(v.sign * m.discount_minor) <> 0;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER orders_rollup AFTER INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION app.rollup_order();

CREATE FUNCTION app.rollup_payment() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    old_on boolean := TG_OP = 'UPDATE' AND OLD.status = 'paid';
    new_on boolean := NEW.status = 'paid';
  BEGIN
    IF TG_OP = 'UPDATE' AND old_on = new_on AND (NOT new_on OR (
         (OLD.outlet_id, OLD.method, OLD.amount_minor, OLD.refunded_minor, OLD.created_at, OLD.paid_at)
         IS NOT DISTINCT FROM
         (NEW.outlet_id, NEW.method, NEW.amount_minor, NEW.refunded_minor, NEW.created_at, NEW.paid_at))) THEN
      RETURN NULL;
    END IF;
    INSERT INTO payment_rollup (tenant_id, outlet_id, local_date, method, payments, amount_minor, refund_minor)
    SELECT NEW.tenant_id, v.outlet_id, app.outlet_local_time(NEW.tenant_id, v.outlet_id, v.at)::date, v.method,
           sum(v.sign), sum(v.sign * v.amount), sum(v.sign * v.refund)
      FROM (SELECT -1 AS sign, OLD.outlet_id, OLD.method, coalesce(OLD.paid_at, OLD.created_at) AS at,
                   OLD.amount_minor AS amount, OLD.refunded_minor AS refund WHERE old_on
            UNION ALL
            SELECT 1, NEW.outlet_id, NEW.method, coalesce(NEW.paid_at, NEW.created_at), NEW.amount_minor,
                   NEW.refunded_minor WHERE new_on) v
     GROUP BY 2, 3, 4
    HAVING sum(v.sign) <> 0 OR sum(v.sign * v.amount) <> 0 OR sum(v.sign * v.refund) <> 0;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER payments_rollup AFTER INSERT OR UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION app.rollup_payment();

-- Compaction reads only the rows written since its last run (by id).
CREATE INDEX sales_rollup_by_id ON sales_rollup (id);
CREATE INDEX item_rollup_by_id ON item_rollup (id);
CREATE INDEX payment_rollup_by_id ON payment_rollup (id);
-- (Not tenant data: in schema `app`, out of the server's reach.)
CREATE TABLE app.rollup_compaction (
  rollup   text PRIMARY KEY,
  last_id  bigint NOT NULL DEFAULT 0
);
INSERT INTO app.rollup_compaction (rollup) VALUES ('sales_rollup'), ('item_rollup'), ('payment_rollup');
GRANT SELECT, UPDATE ON app.rollup_compaction TO pos_xt;

-- Folds into one row the delta rows of every key written to since the last
-- run (all tenants: a job's work); returns how many rows it folded. A row
-- of a transaction still open stays as it is until its key is written
-- again: sums never change, only the number of rows behind them.
CREATE FUNCTION app.compact_sales_rollups() RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE folded bigint := 0; n bigint; since bigint; upto bigint;
  BEGIN
    SELECT last_id INTO since FROM app.rollup_compaction WHERE rollup = 'sales_rollup' FOR UPDATE;
    SELECT coalesce(max(id), since) INTO upto FROM sales_rollup WHERE id > since;
    WITH keys AS (
      SELECT DISTINCT tenant_id, outlet_id, local_hour, channel FROM sales_rollup WHERE id > since AND id <= upto
    ), gone AS (
      DELETE FROM sales_rollup r USING keys k
       WHERE r.tenant_id = k.tenant_id AND r.outlet_id = k.outlet_id AND r.local_hour = k.local_hour
         AND r.channel = k.channel
      RETURNING r.*
    ), ins AS (
      INSERT INTO sales_rollup (tenant_id, outlet_id, local_hour, channel, orders, gross_minor, discount_minor,
                                refund_minor, tax_minor, service_charge_minor)
      SELECT tenant_id, outlet_id, local_hour, channel, sum(orders), sum(gross_minor), sum(discount_minor),
             sum(refund_minor), sum(tax_minor), sum(service_charge_minor)
        FROM gone GROUP BY 1, 2, 3, 4
      HAVING sum(orders) <> 0 OR sum(gross_minor) <> 0 OR sum(discount_minor) <> 0 OR sum(refund_minor) <> 0
          OR sum(tax_minor) <> 0 OR sum(service_charge_minor) <> 0
      RETURNING id
    )
    SELECT (SELECT count(*) FROM gone), (SELECT coalesce(max(id), upto) FROM ins) INTO n, upto;
    UPDATE app.rollup_compaction SET last_id = upto WHERE rollup = 'sales_rollup';
    folded := folded + n;

    SELECT last_id INTO since FROM app.rollup_compaction WHERE rollup = 'item_rollup' FOR UPDATE;
    SELECT coalesce(max(id), since) INTO upto FROM item_rollup WHERE id > since;
    WITH keys AS (
      SELECT DISTINCT tenant_id, outlet_id, local_date, kind, ref_id FROM item_rollup WHERE id > since AND id <= upto
    ), gone AS (
      DELETE FROM item_rollup r USING keys k
       WHERE r.tenant_id = k.tenant_id AND r.outlet_id = k.outlet_id AND r.local_date = k.local_date
         AND r.kind = k.kind AND r.ref_id = k.ref_id
      RETURNING r.*
    ), ins AS (
      INSERT INTO item_rollup (tenant_id, outlet_id, local_date, kind, ref_id, name, orders, qty, gross_minor,
                               discount_minor)
      SELECT tenant_id, outlet_id, local_date, kind, ref_id, (array_agg(name ORDER BY id DESC))[1], sum(orders),
             sum(qty), sum(gross_minor), sum(discount_minor)
        FROM gone GROUP BY 1, 2, 3, 4, 5
      HAVING sum(orders) <> 0 OR sum(qty) <> 0 OR sum(gross_minor) <> 0 OR sum(discount_minor) <> 0
      RETURNING id
    )
    SELECT (SELECT count(*) FROM gone), (SELECT coalesce(max(id), upto) FROM ins) INTO n, upto;
    UPDATE app.rollup_compaction SET last_id = upto WHERE rollup = 'item_rollup';
    folded := folded + n;

    SELECT last_id INTO since FROM app.rollup_compaction WHERE rollup = 'payment_rollup' FOR UPDATE;
    SELECT coalesce(max(id), since) INTO upto FROM payment_rollup WHERE id > since;
    WITH keys AS (
      SELECT DISTINCT tenant_id, outlet_id, local_date, method FROM payment_rollup WHERE id > since AND id <= upto
    ), gone AS (
      DELETE FROM payment_rollup r USING keys k
       WHERE r.tenant_id = k.tenant_id AND r.outlet_id = k.outlet_id AND r.local_date = k.local_date
         AND r.method = k.method
      RETURNING r.*
    ), ins AS (
      INSERT INTO payment_rollup (tenant_id, outlet_id, local_date, method, payments, amount_minor, refund_minor)
      SELECT tenant_id, outlet_id, local_date, method, sum(payments), sum(amount_minor), sum(refund_minor)
        FROM gone GROUP BY 1, 2, 3, 4
      HAVING sum(payments) <> 0 OR sum(amount_minor) <> 0 OR sum(refund_minor) <> 0
      RETURNING id
    )
    SELECT (SELECT count(*) FROM gone), (SELECT coalesce(max(id), upto) FROM ins) INTO n, upto;
    UPDATE app.rollup_compaction SET last_id = upto WHERE rollup = 'payment_rollup';
    folded := folded + n;
    RETURN folded;
  END
  $$;
ALTER FUNCTION app.compact_sales_rollups() OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.compact_sales_rollups() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.compact_sales_rollups() TO pos_app, pos_owner;

-- What was sold before this migration.
SET ROLE pos_xt;
INSERT INTO sales_rollup (tenant_id, outlet_id, local_hour, channel, orders, gross_minor, discount_minor,
                          refund_minor, tax_minor, service_charge_minor)
SELECT o.tenant_id, o.outlet_id, date_trunc('hour', o.created_at AT TIME ZONE t.timezone), o.channel, count(*),
       sum(o.subtotal_minor), sum(o.discount_minor), sum(o.refunded_minor), sum(o.tax_minor),
       sum(o.service_charge_minor)
  FROM orders o JOIN outlets t ON t.tenant_id = o.tenant_id AND t.id = o.outlet_id
 WHERE o.status <> 'cancelled' AND o.payment_status <> 'void'
 GROUP BY 1, 2, 3, 4;
INSERT INTO item_rollup (tenant_id, outlet_id, local_date, kind, ref_id, name, orders, qty, gross_minor,
                         discount_minor)
SELECT o.tenant_id, o.outlet_id, (o.created_at AT TIME ZONE t.timezone)::date, m.kind, m.ref_id, max(m.name),
       count(*), sum(m.qty), sum(m.gross_minor), sum(m.discount_minor)
  FROM orders o JOIN outlets t ON t.tenant_id = o.tenant_id AND t.id = o.outlet_id
 CROSS JOIN LATERAL app.order_item_mix(o.lines) m
 WHERE o.status <> 'cancelled' AND o.payment_status <> 'void'
 GROUP BY 1, 2, 3, 4, 5;
INSERT INTO payment_rollup (tenant_id, outlet_id, local_date, method, payments, amount_minor, refund_minor)
SELECT p.tenant_id, p.outlet_id, (coalesce(p.paid_at, p.created_at) AT TIME ZONE t.timezone)::date, p.method,
       count(*), sum(p.amount_minor), sum(p.refunded_minor)
  FROM payments p JOIN outlets t ON t.tenant_id = p.tenant_id AND t.id = p.outlet_id
 WHERE p.status = 'paid'
 GROUP BY 1, 2, 3, 4;
RESET ROLE;

-- Kitchen times read tickets by when they were opened.
CREATE INDEX tickets_by_created ON tickets (tenant_id, outlet_id, created_at);
