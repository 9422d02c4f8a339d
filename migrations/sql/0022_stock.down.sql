ALTER TABLE refunds DROP COLUMN IF EXISTS restock;
ALTER TABLE outlet_item_overrides DROP COLUMN IF EXISTS sold_out_by_stock;
DROP TABLE IF EXISTS stock_movements;
DROP TABLE IF EXISTS stock_transfers;
DROP TABLE IF EXISTS stock_balances;
DROP TABLE IF EXISTS recipe_lines;
DROP TABLE IF EXISTS ingredient_thresholds;
DROP TABLE IF EXISTS ingredients;
