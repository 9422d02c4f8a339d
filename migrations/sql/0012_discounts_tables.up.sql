-- Discounts on orders and lines, and the dining room: areas, tables, and
-- checks (an order of channel `table` seated at a table) that collect rounds.
--
-- Money: `orders.subtotal_minor` stays the item sales before discounts;
-- `orders.discount_minor` is everything the order's discounts take off (its
-- lines' and its own); service charge and tax are computed on what is left,
-- and `total_minor` = subtotal - discount + service charge + tax.

ALTER TABLE outlets
  -- Discounts above this share of what they apply to need a manager's PIN.
  ADD COLUMN discount_limit_bp integer NOT NULL DEFAULT 1000 CHECK (discount_limit_bp BETWEEN 0 AND 10000);

CREATE TABLE areas (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  outlet_id    uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  position     integer NOT NULL DEFAULT 0,
  archived_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
CREATE UNIQUE INDEX areas_name ON areas (tenant_id, outlet_id, lower(name)) WHERE archived_at IS NULL;

-- `tables` reads badly in SQL: the dining room's tables.
CREATE TABLE dining_tables (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  outlet_id    uuid NOT NULL,
  area_id      uuid NOT NULL,
  -- What staff call it and the receipt prints (orders.table_label).
  label        text NOT NULL CHECK (length(label) BETWEEN 1 AND 20),
  seats        integer NOT NULL DEFAULT 4 CHECK (seats BETWEEN 1 AND 99),
  position     integer NOT NULL DEFAULT 0,
  archived_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, area_id) REFERENCES areas (tenant_id, id)
);
CREATE UNIQUE INDEX dining_tables_label ON dining_tables (tenant_id, outlet_id, lower(label)) WHERE archived_at IS NULL;
CREATE INDEX dining_tables_by_area ON dining_tables (tenant_id, area_id);

ALTER TABLE orders DROP CONSTRAINT orders_channel_check;
ALTER TABLE orders
  ADD CONSTRAINT orders_channel_check CHECK (channel IN ('kiosk', 'counter', 'table')),
  ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  -- The table a check is seated at (none for a part split off to be paid apart).
  ADD COLUMN table_id uuid,
  -- The check a part was split off from (`POST /orders/{id}/split`).
  ADD COLUMN split_from uuid,
  ADD CONSTRAINT orders_table_is_a_check CHECK (table_id IS NULL OR channel = 'table'),
  ADD CONSTRAINT orders_discount_within_subtotal CHECK (discount_minor <= subtotal_minor),
  ADD CONSTRAINT orders_table_fk FOREIGN KEY (tenant_id, table_id) REFERENCES dining_tables (tenant_id, id);
-- One open check per table: open until fully paid, voided or cancelled.
CREATE UNIQUE INDEX orders_open_check_per_table ON orders (tenant_id, table_id)
  WHERE table_id IS NOT NULL AND status <> 'cancelled' AND payment_status IN ('unpaid', 'partially_paid');

-- Every discount given, with who gave it, why and who approved it. A
-- removed one stays, marked, for the audit trail.
CREATE TABLE order_discounts (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  outlet_id           uuid NOT NULL,
  order_id            uuid NOT NULL,
  client_discount_id  uuid NOT NULL,
  payload_hash        bytea NOT NULL,
  -- The line (`line_id` in the order's lines) or, when null, the whole order.
  line_id             uuid,
  kind                text NOT NULL CHECK (kind IN ('percent', 'amount')),
  -- Basis points for `percent`, minor units for `amount`.
  value               bigint NOT NULL CHECK (value > 0),
  -- What it takes off the order as it stands now.
  amount_minor        bigint NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
  reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  user_id             uuid,
  approved_by         uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  removed_at          timestamptz,
  removed_by          uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  CHECK (kind <> 'percent' OR value <= 10000)
);
CREATE UNIQUE INDEX order_discounts_client_id ON order_discounts (tenant_id, client_discount_id);
CREATE INDEX order_discounts_by_order ON order_discounts (tenant_id, order_id);

-- The rounds of a check, exactly once per `client_round_id`.
CREATE TABLE check_rounds (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  outlet_id        uuid NOT NULL,
  order_id         uuid NOT NULL,
  client_round_id  uuid NOT NULL,
  payload_hash     bytea NOT NULL,
  line_ids         uuid[] NOT NULL,
  user_id          uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE UNIQUE INDEX check_rounds_client_id ON check_rounds (tenant_id, client_round_id);
CREATE INDEX check_rounds_by_order ON check_rounds (tenant_id, order_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['areas', 'dining_tables', 'order_discounts', 'check_rounds']
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

-- Areas and tables are archived, discounts marked removed: never deleted by the server.
GRANT SELECT, INSERT, UPDATE ON areas, dining_tables, order_discounts, check_rounds TO pos_app;
