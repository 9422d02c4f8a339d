DROP TABLE IF EXISTS outlet_item_overrides, menu_items, categories, catalog_versions;
DROP FUNCTION IF EXISTS app.next_catalog_version(integer);
DROP INDEX IF EXISTS outlets_version;
ALTER TABLE outlets DROP COLUMN IF EXISTS version;
