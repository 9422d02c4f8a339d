DROP FUNCTION IF EXISTS app.outlet_state(uuid);
DROP TABLE IF EXISTS stock_sale_lines;
