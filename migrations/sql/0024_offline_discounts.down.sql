DROP INDEX IF EXISTS order_discounts_unverified;
ALTER TABLE order_discounts DROP COLUMN IF EXISTS offline;
ALTER TABLE order_discounts DROP COLUMN IF EXISTS approval_unverified;
