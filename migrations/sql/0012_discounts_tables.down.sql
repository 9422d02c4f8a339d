DROP TABLE check_rounds;
DROP TABLE order_discounts;
DROP INDEX orders_open_check_per_table;
ALTER TABLE orders
  DROP CONSTRAINT orders_table_fk,
  DROP CONSTRAINT orders_discount_within_subtotal,
  DROP CONSTRAINT orders_table_is_a_check,
  DROP COLUMN split_from,
  DROP COLUMN table_id,
  DROP COLUMN discount_minor,
  DROP CONSTRAINT orders_channel_check;
ALTER TABLE orders ADD CONSTRAINT orders_channel_check CHECK (channel IN ('kiosk', 'counter'));
DROP TABLE dining_tables;
DROP TABLE areas;
ALTER TABLE outlets DROP COLUMN discount_limit_bp;
