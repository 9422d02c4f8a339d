DROP INDEX stock_movements_by_order;
CREATE INDEX stock_movements_by_order ON stock_movements (tenant_id, order_id) WHERE order_id IS NOT NULL;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['stock_movements', 'stock_sale_lines']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, '
                   'ADD CONSTRAINT %I FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id), '
                   'ADD CONSTRAINT %I FOREIGN KEY (tenant_id, ingredient_id) REFERENCES ingredients (tenant_id, id)',
                   t, t || '_balance_fkey', t || '_tenant_id_outlet_id_fkey', t || '_tenant_id_ingredient_id_fkey');
  END LOOP;
END $$;
