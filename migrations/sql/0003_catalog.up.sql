-- Catalogue: categories, menu items (with modifier groups), outlet overrides
-- (price, availability), and the per-tenant change counter that devices
-- pull from.
--
-- Every catalogue row carries `version`, taken from the tenant's counter row
-- in the same transaction. The counter's row lock serialises catalogue
-- writers of a tenant, so version order is commit order: a device that has
-- pulled up to version N never misses a change committed later with a lower
-- number. Deletions are soft (`deleted_at`) so they can be pulled as tombstones.

CREATE TABLE catalog_versions (
  tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  version    bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION app.next_catalog_version(n integer DEFAULT 1) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    INSERT INTO catalog_versions AS v (tenant_id, version)
    VALUES (app.current_tenant(), n)
    ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + n
    RETURNING version
  $$;

CREATE TABLE categories (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id          uuid NOT NULL,
  name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  position    integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  station     text CHECK (station IS NULL OR length(btrim(station)) BETWEEN 1 AND 40),
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX categories_name ON categories (tenant_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX categories_version ON categories (tenant_id, version);

CREATE TABLE menu_items (
  tenant_id        uuid NOT NULL,
  id               uuid NOT NULL,
  category_id      uuid NOT NULL,
  name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  description      text NOT NULL DEFAULT '',
  price_minor      bigint NOT NULL CHECK (price_minor >= 0),
  image_url        text,
  position         integer NOT NULL DEFAULT 0 CHECK (position >= 0),
  modifier_groups  jsonb NOT NULL DEFAULT '[]',
  version          bigint NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX menu_items_category ON menu_items (tenant_id, category_id, position);
CREATE INDEX menu_items_version ON menu_items (tenant_id, version);

CREATE TABLE outlet_item_overrides (
  tenant_id          uuid NOT NULL,
  outlet_id          uuid NOT NULL,
  item_id            uuid NOT NULL,
  price_minor        bigint CHECK (price_minor IS NULL OR price_minor >= 0),
  available          boolean NOT NULL DEFAULT true,
  unavailable_until  timestamptz,
  version            bigint NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz,
  PRIMARY KEY (tenant_id, outlet_id, item_id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, item_id) REFERENCES menu_items (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX outlet_item_overrides_version ON outlet_item_overrides (tenant_id, outlet_id, version);

-- Outlet settings are part of what devices cache.
ALTER TABLE outlets ADD COLUMN version bigint NOT NULL DEFAULT 0;
CREATE INDEX outlets_version ON outlets (tenant_id, version);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['catalog_versions', 'categories', 'menu_items', 'outlet_item_overrides']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

CREATE POLICY tenant_isolation ON catalog_versions
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
CREATE POLICY tenant_isolation ON categories
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
CREATE POLICY tenant_isolation ON menu_items
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
CREATE POLICY outlet_isolation ON outlet_item_overrides
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])));

GRANT SELECT, INSERT, UPDATE ON catalog_versions TO pos_app;
GRANT SELECT, INSERT, UPDATE ON categories, menu_items, outlet_item_overrides TO pos_app;
GRANT EXECUTE ON FUNCTION app.next_catalog_version(integer) TO pos_app;
