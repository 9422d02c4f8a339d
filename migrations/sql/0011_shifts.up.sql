-- Shifts of a till and its cash drawer: opened with a float, cash in and
-- out with a reason, closed by counting the drawer (a total, or by
-- denomination). The Z report made at the close is stored with the shift
-- and never changes: a closed shift is frozen by the triggers below.

CREATE TABLE shifts (
  tenant_id            uuid NOT NULL,
  id                   uuid NOT NULL,
  outlet_id            uuid NOT NULL,
  device_id            uuid NOT NULL,
  client_shift_id      uuid,
  -- What the open asked for (device, float), for replays of `client_shift_id`.
  open_payload_hash    bytea NOT NULL,
  status               text NOT NULL CHECK (status IN ('open', 'closed')),
  opening_float_minor  bigint NOT NULL CHECK (opening_float_minor >= 0),
  opened_by            uuid,
  opened_at            timestamptz NOT NULL DEFAULT now(),
  closed_by            uuid,
  closed_at            timestamptz,
  client_close_id      uuid,
  -- What the close counted, so a close sent again gets the same answer.
  close_payload_hash   bytea,
  expected_minor       bigint,
  counted_minor        bigint CHECK (counted_minor >= 0),
  variance_minor       bigint,
  -- The Z report (pos_wire::ShiftReport), as made at the close.
  z_report             jsonb,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id),
  CHECK ((status = 'open') = (closed_at IS NULL)),
  CHECK (status = 'open' OR (expected_minor IS NOT NULL AND counted_minor IS NOT NULL
                             AND variance_minor = counted_minor - expected_minor
                             AND z_report IS NOT NULL AND close_payload_hash IS NOT NULL))
);
-- One open shift per till.
CREATE UNIQUE INDEX shifts_one_open_per_till ON shifts (tenant_id, device_id) WHERE status = 'open';
CREATE UNIQUE INDEX shifts_client_shift_id ON shifts (tenant_id, client_shift_id) WHERE client_shift_id IS NOT NULL;
CREATE INDEX shifts_by_outlet ON shifts (tenant_id, outlet_id, id DESC);

CREATE TABLE shift_cash_movements (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  outlet_id           uuid NOT NULL,
  shift_id            uuid NOT NULL,
  client_movement_id  uuid NOT NULL,
  payload_hash        bytea NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('in', 'out')),
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  user_id             uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id)
);
CREATE UNIQUE INDEX shift_cash_movements_client_id ON shift_cash_movements (tenant_id, client_movement_id);
CREATE INDEX shift_cash_movements_by_shift ON shift_cash_movements (tenant_id, shift_id);

-- The closing count by denomination (minor units per note or coin).
CREATE TABLE shift_counts (
  tenant_id    uuid NOT NULL,
  shift_id     uuid NOT NULL,
  outlet_id    uuid NOT NULL,
  value_minor  bigint NOT NULL CHECK (value_minor > 0),
  count        bigint NOT NULL CHECK (count BETWEEN 0 AND 100000),
  PRIMARY KEY (tenant_id, shift_id, value_minor),
  FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id)
);

-- Money counted into a shift: cash payments taken with its id, and refunds
-- made while it was open (payments.shift_id exists since 0009).
ALTER TABLE payments ADD CONSTRAINT payments_shift_fk FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id);
ALTER TABLE refunds ADD COLUMN shift_id uuid,
  ADD CONSTRAINT refunds_shift_fk FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id);
CREATE INDEX refunds_by_shift ON refunds (tenant_id, shift_id) WHERE shift_id IS NOT NULL;
-- A shift's report counts the orders of its outlet voided while it was open.
CREATE INDEX orders_voided ON orders (tenant_id, outlet_id, updated_at) WHERE payment_status = 'void';

-- A closed shift never changes, and nothing is added to it.
CREATE FUNCTION app.shift_closed_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'shift % is closed', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER shifts_closed_final BEFORE UPDATE ON shifts FOR EACH ROW EXECUTE FUNCTION app.shift_closed_is_final();

CREATE FUNCTION app.shift_must_be_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.shift_id IS NOT NULL AND EXISTS (
       SELECT 1 FROM shifts s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.shift_id AND s.status = 'closed') THEN
    RAISE EXCEPTION 'shift % is closed', NEW.shift_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER shift_cash_movements_open BEFORE INSERT ON shift_cash_movements
  FOR EACH ROW EXECUTE FUNCTION app.shift_must_be_open();
CREATE TRIGGER shift_counts_open BEFORE INSERT ON shift_counts
  FOR EACH ROW EXECUTE FUNCTION app.shift_must_be_open();
CREATE TRIGGER payments_shift_open BEFORE INSERT ON payments
  FOR EACH ROW EXECUTE FUNCTION app.shift_must_be_open();
CREATE TRIGGER refunds_shift_open BEFORE INSERT ON refunds
  FOR EACH ROW EXECUTE FUNCTION app.shift_must_be_open();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['shifts', 'shift_cash_movements', 'shift_counts']
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

-- Shifts are never deleted by the server; movements and counts are append-only.
GRANT SELECT, INSERT, UPDATE ON shifts TO pos_app;
GRANT SELECT, INSERT ON shift_cash_movements, shift_counts TO pos_app;
