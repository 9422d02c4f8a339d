-- Item codes (SKU/PLU) the till searches by, unique per brand whatever
-- their case; and the number of guests at a table's check.
ALTER TABLE menu_items
  ADD COLUMN code text CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$');
CREATE UNIQUE INDEX menu_items_code ON menu_items (tenant_id, lower(code))
  WHERE code IS NOT NULL AND deleted_at IS NULL;

ALTER TABLE orders
  ADD COLUMN guest_count integer CHECK (guest_count BETWEEN 1 AND 999);
