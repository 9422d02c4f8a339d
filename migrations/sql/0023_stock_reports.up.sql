-- Stock reports (issue 14): what each sold item took, so the cost of goods
-- sold is known per menu item from what the sale actually depleted (the
-- ledger keeps one movement per ingredient and order, not per item), valued
-- at the ingredient's cost when the sale was made.
--
-- One row per order line and ingredient: `units` portions of the line
-- (its qty), `qty` taken in all (the item's recipe and its options'),
-- `unit_cost_minor` the cost of one unit of the ingredient at the sale (the
-- same as on the sale's movement). A split check moves its share of the
-- rows to the new order, so a refund or cancellation of either order puts
-- back what that order's own lines took.
CREATE TABLE stock_sale_lines (
  tenant_id        uuid NOT NULL,
  id               bigint GENERATED ALWAYS AS IDENTITY,
  outlet_id        uuid NOT NULL,
  order_id         uuid NOT NULL,
  line_id          uuid NOT NULL,
  menu_item_id     uuid NOT NULL,
  ingredient_id    uuid NOT NULL,
  units            bigint NOT NULL CHECK (units > 0),
  qty              bigint NOT NULL CHECK (qty > 0),
  unit_cost_minor  bigint NOT NULL CHECK (unit_cost_minor >= 0),
  -- The order's `created_at`: the date the sales reports count it on.
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id)
);
CREATE INDEX stock_sale_lines_by_order ON stock_sale_lines (tenant_id, order_id);
CREATE INDEX stock_sale_lines_by_time ON stock_sale_lines (tenant_id, outlet_id, created_at);

ALTER TABLE stock_sale_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE stock_sale_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY outlet_isolation ON stock_sale_lines
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])));

-- Rows are added by sales and re-pointed by splits, never deleted.
GRANT SELECT, INSERT, UPDATE ON stock_sale_lines TO pos_app;

-- Whether an outlet of the caller's brand is `live` or `archived` (NULL:
-- no such outlet of the brand), even one outside the caller's outlets (a
-- manager sends stock to an outlet they do not work at): owned by pos_xt,
-- the narrow path past the outlet scope (see 0001).
CREATE FUNCTION app.outlet_state(p_outlet uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT CASE WHEN o.archived_at IS NULL THEN 'live' ELSE 'archived' END
      FROM outlets o WHERE o.tenant_id = app.current_tenant() AND o.id = p_outlet
  $$;
ALTER FUNCTION app.outlet_state(uuid) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.outlet_state(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.outlet_state(uuid) TO pos_app;
