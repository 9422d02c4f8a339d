-- Inventory (issue 14): ingredients with a unit and a cost, recipes per menu
-- item and per modifier option, and stock per outlet kept as a ledger:
-- every change is an append-only movement (with who and why), and the
-- balance row of (outlet, ingredient) is updated in the same transaction.
-- Quantities are whole base units (g, ml or pcs), signed on movements.

CREATE TABLE ingredients (
  tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                   uuid NOT NULL,
  name                 text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  unit                 text NOT NULL CHECK (unit IN ('g', 'ml', 'pcs')),
  -- What one unit costs (one g, one ml, one piece), for costs of goods sold.
  cost_per_unit_minor  bigint NOT NULL DEFAULT 0 CHECK (cost_per_unit_minor >= 0),
  -- The brand's default alert level; an outlet may set its own.
  low_stock_threshold  bigint CHECK (low_stock_threshold IS NULL OR low_stock_threshold >= 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ingredients_name ON ingredients (tenant_id, lower(name)) WHERE deleted_at IS NULL;

-- An outlet's own alert level for an ingredient.
CREATE TABLE ingredient_thresholds (
  tenant_id      uuid NOT NULL,
  outlet_id      uuid NOT NULL,
  ingredient_id  uuid NOT NULL,
  threshold      bigint NOT NULL CHECK (threshold >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, outlet_id, ingredient_id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id)
);

-- What one portion takes: of the item itself (`option_id` is the nil uuid)
-- or of one of its modifier options (options live in the item's JSON).
CREATE TABLE recipe_lines (
  tenant_id      uuid NOT NULL,
  menu_item_id   uuid NOT NULL,
  option_id      uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
  ingredient_id  uuid NOT NULL,
  qty            bigint NOT NULL CHECK (qty > 0),
  PRIMARY KEY (tenant_id, menu_item_id, option_id, ingredient_id),
  FOREIGN KEY (tenant_id, menu_item_id) REFERENCES menu_items (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id)
);
-- Which items an ingredient going short can take off the menu.
CREATE INDEX recipe_lines_by_ingredient ON recipe_lines (tenant_id, ingredient_id);

-- On hand per outlet and ingredient: the sum of the movements, kept here so
-- a sale locks and updates one row per ingredient. May go negative (offline
-- sales of stock that ran out are kept).
CREATE TABLE stock_balances (
  tenant_id      uuid NOT NULL,
  outlet_id      uuid NOT NULL,
  ingredient_id  uuid NOT NULL,
  on_hand        bigint NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, outlet_id, ingredient_id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id)
);

-- Goods sent from one outlet of the brand to another: pending until the
-- receiving outlet records them in (`transfer_in`).
CREATE TABLE stock_transfers (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  from_outlet_id   uuid NOT NULL,
  to_outlet_id     uuid NOT NULL,
  ingredient_id    uuid NOT NULL,
  qty_sent         bigint NOT NULL CHECK (qty_sent > 0),
  qty_received     bigint CHECK (qty_received IS NULL OR qty_received >= 0),
  status           text NOT NULL CHECK (status IN ('pending', 'received')),
  sent_by          uuid,
  received_by      uuid,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  received_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, from_outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, to_outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id),
  CHECK (from_outlet_id <> to_outlet_id),
  CHECK ((status = 'received') = (received_at IS NOT NULL AND qty_received IS NOT NULL))
);
CREATE INDEX stock_transfers_incoming ON stock_transfers (tenant_id, to_outlet_id) WHERE status = 'pending';

-- The ledger. `qty` is the signed change to on hand; `on_hand_after` the
-- balance it left; a count also keeps what was counted (its `qty` is the
-- variance). `unit_cost_minor` is the ingredient's cost when it moved.
CREATE TABLE stock_movements (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  outlet_id           uuid NOT NULL,
  ingredient_id       uuid NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('sale', 'refund', 'cancel', 'receive', 'waste', 'count',
                                                    'transfer_out', 'transfer_in')),
  qty                 bigint NOT NULL,
  on_hand_after       bigint NOT NULL,
  counted             bigint CHECK (counted IS NULL OR counted >= 0),
  unit_cost_minor     bigint NOT NULL DEFAULT 0,
  client_movement_id  uuid,
  payload_hash        bytea,
  order_id            uuid,
  transfer_id         uuid,
  user_id             uuid,
  device_id           uuid,
  note                text CHECK (note IS NULL OR length(note) <= 200),
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES stock_transfers (tenant_id, id),
  CHECK ((kind = 'count') = (counted IS NOT NULL)),
  CHECK ((kind IN ('sale', 'refund', 'cancel')) = (order_id IS NOT NULL)),
  CHECK ((kind IN ('transfer_out', 'transfer_in')) = (transfer_id IS NOT NULL)),
  CHECK (kind IN ('sale', 'refund', 'cancel') OR client_movement_id IS NOT NULL)
);
-- Exactly once per device-made id, per outlet.
CREATE UNIQUE INDEX stock_movements_client_id ON stock_movements (tenant_id, outlet_id, client_movement_id)
  WHERE client_movement_id IS NOT NULL;
CREATE INDEX stock_movements_by_ingredient ON stock_movements (tenant_id, outlet_id, ingredient_id, created_at);
CREATE INDEX stock_movements_by_order ON stock_movements (tenant_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX stock_movements_by_time ON stock_movements (tenant_id, outlet_id, created_at);

-- An item taken off an outlet's menu because its stock ran out comes back
-- by itself when restocked; an 86 made by hand never does.
ALTER TABLE outlet_item_overrides ADD COLUMN sold_out_by_stock boolean NOT NULL DEFAULT false;

-- A refund may put the order's ingredients back (the goods were not made).
ALTER TABLE refunds ADD COLUMN restock boolean NOT NULL DEFAULT false;

ALTER TABLE ingredients ENABLE ROW LEVEL SECURITY;
ALTER TABLE ingredients FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ingredients
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
ALTER TABLE recipe_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE recipe_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recipe_lines
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ingredient_thresholds', 'stock_balances', 'stock_movements']
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

-- A transfer is seen by both of its outlets.
ALTER TABLE stock_transfers ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_transfers FORCE ROW LEVEL SECURITY;
CREATE POLICY outlet_isolation ON stock_transfers
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets())
              OR from_outlet_id = ANY ((SELECT app.current_outlets())::uuid[])
              OR to_outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets())
              OR from_outlet_id = ANY ((SELECT app.current_outlets())::uuid[])
              OR to_outlet_id = ANY ((SELECT app.current_outlets())::uuid[])));

-- Movements are append-only: the server may add them and read them, never
-- change or delete them.
GRANT SELECT, INSERT, UPDATE ON ingredients, ingredient_thresholds, stock_balances, stock_transfers TO pos_app;
GRANT SELECT, INSERT, DELETE ON recipe_lines TO pos_app;
GRANT DELETE ON ingredient_thresholds TO pos_app;
GRANT SELECT, INSERT ON stock_movements TO pos_app;
