-- Orders, kitchen tickets, pickup numbers, and the per-outlet event log that
-- is both the transactional outbox and the replay log of the live stream.
--
-- Event sequence: each outlet has a counter row; appending an event bumps it
-- in the same transaction as the change. The row lock is held until commit,
-- so a later sequence number can never become visible before an earlier one:
-- sequence order is commit order, and a client resuming after N misses nothing.

CREATE TABLE outlet_event_seq (
  tenant_id  uuid NOT NULL,
  outlet_id  uuid NOT NULL,
  last_seq   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, outlet_id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE outlet_events (
  tenant_id  uuid NOT NULL,
  outlet_id  uuid NOT NULL,
  seq        bigint NOT NULL,
  kind       text NOT NULL,
  data       jsonb NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, outlet_id, seq)
);

CREATE FUNCTION app.append_outlet_event(p_outlet uuid, p_kind text, p_data jsonb) RETURNS bigint
  LANGUAGE sql VOLATILE
  AS $$
    WITH s AS (
      INSERT INTO outlet_event_seq AS c (tenant_id, outlet_id, last_seq)
      VALUES (app.current_tenant(), p_outlet, 1)
      ON CONFLICT (tenant_id, outlet_id) DO UPDATE SET last_seq = c.last_seq + 1
      RETURNING last_seq
    )
    INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data)
    SELECT app.current_tenant(), p_outlet, s.last_seq, p_kind, p_data FROM s
    RETURNING seq
  $$;

-- Kiosks number their own orders with a prefix of their own, so numbers
-- stay unique within an outlet's day even when several kiosks are offline.
ALTER TABLE devices ADD COLUMN number_prefix text;
CREATE UNIQUE INDEX devices_number_prefix ON devices (tenant_id, outlet_id, number_prefix) WHERE number_prefix IS NOT NULL;

CREATE TABLE order_counters (
  tenant_id      uuid NOT NULL,
  outlet_id      uuid NOT NULL,
  business_date  date NOT NULL,
  last_number    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, outlet_id, business_date),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE orders (
  tenant_id             uuid NOT NULL,
  id                    uuid NOT NULL,
  outlet_id             uuid NOT NULL,
  client_order_id       uuid NOT NULL,
  payload_hash          bytea NOT NULL,
  number                text NOT NULL,
  business_date         date NOT NULL,
  status                text NOT NULL CHECK (status IN ('placed', 'accepted', 'preparing', 'ready', 'completed', 'cancelled')),
  channel               text NOT NULL CHECK (channel IN ('kiosk', 'counter')),
  customer_name         text,
  table_label           text,
  lines                 jsonb NOT NULL,
  subtotal_minor        bigint NOT NULL,
  service_charge_minor  bigint NOT NULL,
  tax_minor             bigint NOT NULL,
  total_minor           bigint NOT NULL,
  currency              char(3) NOT NULL,
  flags                 text[] NOT NULL DEFAULT '{}',
  cancel_reason         text,
  device_id             uuid,
  user_id               uuid,
  created_at_client     timestamptz NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
CREATE UNIQUE INDEX orders_client_order_id ON orders (tenant_id, client_order_id);
CREATE UNIQUE INDEX orders_number_per_day ON orders (tenant_id, outlet_id, business_date, number);
CREATE INDEX orders_by_outlet ON orders (tenant_id, outlet_id, id);
CREATE INDEX orders_open ON orders (tenant_id, outlet_id, status) WHERE status NOT IN ('completed', 'cancelled');

CREATE TABLE tickets (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  order_id    uuid NOT NULL,
  outlet_id   uuid NOT NULL,
  station     text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'bumped', 'cancelled')),
  lines       jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  bumped_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tickets_by_order ON tickets (tenant_id, order_id);
CREATE INDEX tickets_open ON tickets (tenant_id, outlet_id, status);
CREATE INDEX tickets_bumped ON tickets (tenant_id, outlet_id, bumped_at DESC) WHERE status = 'bumped';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['outlet_event_seq', 'outlet_events', 'order_counters', 'orders', 'tickets']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY outlet_isolation ON %I
      USING (tenant_id = (SELECT app.current_tenant())
             AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))
      WITH CHECK (tenant_id = (SELECT app.current_tenant())
             AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])))$p$, t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON outlet_event_seq, order_counters, orders, tickets TO pos_app;
-- The event log is append-only for the server (pruning runs as the owner).
GRANT SELECT, INSERT ON outlet_events TO pos_app;
GRANT EXECUTE ON FUNCTION app.append_outlet_event(uuid, text, jsonb) TO pos_app;
