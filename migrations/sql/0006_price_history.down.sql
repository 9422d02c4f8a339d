DROP TRIGGER IF EXISTS outlet_item_overrides_price_history ON outlet_item_overrides;
DROP TRIGGER IF EXISTS menu_items_price_history ON menu_items;
DROP FUNCTION IF EXISTS app.record_outlet_price();
DROP FUNCTION IF EXISTS app.record_item_price();
DROP TABLE IF EXISTS outlet_price_history, item_price_history;
