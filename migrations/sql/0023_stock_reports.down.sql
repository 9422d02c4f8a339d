DROP FUNCTION IF EXISTS app.outlet_is_live(uuid);
DROP TABLE IF EXISTS stock_sale_lines;
