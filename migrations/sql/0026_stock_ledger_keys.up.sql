-- A sale writes one movement and a sale line per ingredient (issue 14 §6:
-- keep intake fast). Each of those rows checked two foreign keys of its
-- own, to its outlet and to its ingredient, the latter locking (FOR KEY
-- SHARE) the brand's ingredient rows from every outlet's sales at once.
-- A movement and a sale line always come with the balance row of their
-- outlet and ingredient (the same statement upserts it, and it references
-- both), so they reference that row instead: one check, on a row the sale
-- has locked already.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['stock_movements', 'stock_sale_lines']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, DROP CONSTRAINT %I, ADD CONSTRAINT %I '
                   'FOREIGN KEY (tenant_id, outlet_id, ingredient_id) '
                   'REFERENCES stock_balances (tenant_id, outlet_id, ingredient_id)',
                   t, t || '_tenant_id_outlet_id_fkey', t || '_tenant_id_ingredient_id_fkey', t || '_balance_fkey');
  END LOOP;
END $$;

-- Movements are found by order only to see what a cancellation or a refund
-- put back (what a sale took is in stock_sale_lines): sales stay out of it.
DROP INDEX stock_movements_by_order;
CREATE INDEX stock_movements_by_order ON stock_movements (tenant_id, order_id) WHERE kind IN ('cancel', 'refund');
