DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sales_rollup', 'item_rollup', 'payment_rollup']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, t || '_pkey');
    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (tenant_id, id)', t);
    EXECUTE format('CREATE INDEX %I ON %I (id)', t || '_by_id', t);
  END LOOP;
END $$;
DROP TRIGGER IF EXISTS payments_rollup ON payments;
DROP TRIGGER IF EXISTS payments_rollup_insert ON payments;
CREATE TRIGGER payments_rollup AFTER INSERT OR UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION app.rollup_payment();
DROP TRIGGER IF EXISTS orders_rollup ON orders;
DROP TRIGGER IF EXISTS orders_rollup_insert ON orders;
CREATE TRIGGER orders_rollup AFTER INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION app.rollup_order();
DROP FUNCTION IF EXISTS app.rollup_placed_order(uuid, uuid, text, bigint, bigint, bigint, jsonb);
