-- Price history: every state of an item that sets what a customer pays or
-- reads on a ticket (its name, price and modifier groups with their option
-- deltas), and every outlet price, each with the catalogue versions and the
-- times between which it was in force. An offline order is honoured at the
-- price a device showed only when this history proves the item, with those
-- options, had that price at that outlet while the device's menu was current
-- (backend/src/orders/shown_price.rs).
--
-- Triggers write it, so no code path can change a price without leaving its
-- trace; the server's own role may only read it (the trigger functions run as
-- the owner, under the same row-level security as every tenant table).
--
-- A row is in force for catalogue versions [version_from, version_to) (NULL:
-- still) and for times [valid_from, valid_to) ('infinity': still). Versions
-- come from the tenant's catalogue counter, whose row lock orders them by
-- commit (0003_catalog), and a device's pull cursor names the version its
-- menu showed. Times are clock_timestamp() read after the writer holds that
-- lock, so they grow with the version too.

CREATE TABLE item_price_history (
  tenant_id        uuid NOT NULL,
  item_id          uuid NOT NULL,
  version_from     bigint NOT NULL,
  version_to       bigint,
  valid_from       timestamptz NOT NULL,
  valid_to         timestamptz NOT NULL DEFAULT 'infinity',
  name             text NOT NULL,
  price_minor      bigint NOT NULL,
  modifier_groups  jsonb NOT NULL,
  PRIMARY KEY (tenant_id, item_id, version_from),
  FOREIGN KEY (tenant_id, item_id) REFERENCES menu_items (tenant_id, id) ON DELETE CASCADE
);
-- "Which states of these items were in force after <cut>": a range scan per item.
CREATE INDEX item_price_history_until ON item_price_history (tenant_id, item_id, valid_to);

-- Only the periods in which an outlet price applied (an override with a price).
CREATE TABLE outlet_price_history (
  tenant_id     uuid NOT NULL,
  outlet_id     uuid NOT NULL,
  item_id       uuid NOT NULL,
  version_from  bigint NOT NULL,
  version_to    bigint,
  valid_from    timestamptz NOT NULL,
  valid_to      timestamptz NOT NULL DEFAULT 'infinity',
  price_minor   bigint NOT NULL,
  PRIMARY KEY (tenant_id, outlet_id, item_id, version_from),
  FOREIGN KEY (tenant_id, outlet_id, item_id)
    REFERENCES outlet_item_overrides (tenant_id, outlet_id, item_id) ON DELETE CASCADE
);
CREATE INDEX outlet_price_history_until ON outlet_price_history (tenant_id, outlet_id, item_id, valid_to);

CREATE FUNCTION app.record_item_price() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    changed_at timestamptz := clock_timestamp();
  BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.name = OLD.name AND NEW.price_minor = OLD.price_minor
       AND NEW.modifier_groups = OLD.modifier_groups
       AND (NEW.deleted_at IS NULL) = (OLD.deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
    UPDATE item_price_history SET version_to = NEW.version, valid_to = changed_at
     WHERE tenant_id = NEW.tenant_id AND item_id = NEW.id AND version_to IS NULL;
    IF NEW.deleted_at IS NULL THEN
      -- Two changes under one version (one transaction): the later one wins.
      INSERT INTO item_price_history (tenant_id, item_id, version_from, valid_from, name, price_minor, modifier_groups)
      VALUES (NEW.tenant_id, NEW.id, NEW.version, changed_at, NEW.name, NEW.price_minor, NEW.modifier_groups)
      ON CONFLICT (tenant_id, item_id, version_from) DO UPDATE
         SET version_to = NULL, valid_to = 'infinity', name = EXCLUDED.name,
             price_minor = EXCLUDED.price_minor, modifier_groups = EXCLUDED.modifier_groups;
    END IF;
    RETURN NULL;
  END
  $$;

CREATE FUNCTION app.record_outlet_price() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    changed_at timestamptz := clock_timestamp();
  BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.price_minor IS NOT DISTINCT FROM OLD.price_minor
       AND (NEW.deleted_at IS NULL) = (OLD.deleted_at IS NULL) THEN
      RETURN NULL;
    END IF;
    UPDATE outlet_price_history SET version_to = NEW.version, valid_to = changed_at
     WHERE tenant_id = NEW.tenant_id AND outlet_id = NEW.outlet_id AND item_id = NEW.item_id AND version_to IS NULL;
    IF NEW.deleted_at IS NULL AND NEW.price_minor IS NOT NULL THEN
      INSERT INTO outlet_price_history (tenant_id, outlet_id, item_id, version_from, valid_from, price_minor)
      VALUES (NEW.tenant_id, NEW.outlet_id, NEW.item_id, NEW.version, changed_at, NEW.price_minor)
      ON CONFLICT (tenant_id, outlet_id, item_id, version_from) DO UPDATE
         SET version_to = NULL, valid_to = 'infinity', price_minor = EXCLUDED.price_minor;
    END IF;
    RETURN NULL;
  END
  $$;

REVOKE ALL ON FUNCTION app.record_item_price() FROM PUBLIC;
REVOKE ALL ON FUNCTION app.record_outlet_price() FROM PUBLIC;

-- What is on the menu now has been in force at least since its row last
-- changed (as far as anyone can tell now). The owner reads every tenant's
-- rows only here, with FORCE lifted inside this migration's transaction.
ALTER TABLE menu_items NO FORCE ROW LEVEL SECURITY;
ALTER TABLE outlet_item_overrides NO FORCE ROW LEVEL SECURITY;
INSERT INTO item_price_history (tenant_id, item_id, version_from, valid_from, name, price_minor, modifier_groups)
SELECT tenant_id, id, version, updated_at, name, price_minor, modifier_groups
  FROM menu_items WHERE deleted_at IS NULL;
INSERT INTO outlet_price_history (tenant_id, outlet_id, item_id, version_from, valid_from, price_minor)
SELECT tenant_id, outlet_id, item_id, version, updated_at, price_minor
  FROM outlet_item_overrides WHERE deleted_at IS NULL AND price_minor IS NOT NULL;
ALTER TABLE menu_items FORCE ROW LEVEL SECURITY;
ALTER TABLE outlet_item_overrides FORCE ROW LEVEL SECURITY;

CREATE TRIGGER menu_items_price_history AFTER INSERT OR UPDATE ON menu_items
  FOR EACH ROW EXECUTE FUNCTION app.record_item_price();
CREATE TRIGGER outlet_item_overrides_price_history AFTER INSERT OR UPDATE ON outlet_item_overrides
  FOR EACH ROW EXECUTE FUNCTION app.record_outlet_price();

ALTER TABLE item_price_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE item_price_history FORCE ROW LEVEL SECURITY;
ALTER TABLE outlet_price_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE outlet_price_history FORCE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON item_price_history
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
CREATE POLICY outlet_isolation ON outlet_price_history
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])));

-- Read-only for the server: only the triggers (as the owner) write history.
GRANT SELECT ON item_price_history, outlet_price_history TO pos_app;
