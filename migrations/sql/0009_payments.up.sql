-- Payments: cash, card and QRIS on orders, refunds, gapless receipt numbers,
-- staff PINs for approvals, and the gateway's notification log.
--
-- Receipt numbers: one counter row per outlet, bumped in the transaction that
-- makes an order fully paid. The row lock is held to commit and a rollback
-- gives the number back, so numbers are sequential and without gaps.

ALTER TABLE outlets
  ALTER COLUMN tax_rate_bp SET DEFAULT 1000,
  -- Cash is rounded to this step (minor units) when it settles an order.
  ADD COLUMN cash_rounding_step integer NOT NULL DEFAULT 0 CHECK (cash_rounding_step IN (0, 100, 500, 1000)),
  -- When kiosk orders reach the kitchen: as placed, or once paid.
  ADD COLUMN kiosk_kitchen_release text NOT NULL DEFAULT 'on_place'
    CHECK (kiosk_kitchen_release IN ('on_place', 'on_paid')),
  -- NPWP or the like, printed on receipts when set.
  ADD COLUMN tax_number text CHECK (length(tax_number) <= 40);

-- A staff member's PIN (argon2), for approvals and till sign-in.
ALTER TABLE users ADD COLUMN pin_hash text;

ALTER TABLE orders
  ADD COLUMN payment_status text NOT NULL DEFAULT 'unpaid'
    CHECK (payment_status IN ('unpaid', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'void')),
  -- Applied to the bill (cash rounding and change excluded).
  ADD COLUMN paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
  ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  -- Sum of the cash rounding of its payments (signed).
  ADD COLUMN rounding_minor bigint NOT NULL DEFAULT 0,
  ADD COLUMN receipt_number bigint,
  ADD COLUMN paid_at timestamptz,
  -- False while a kiosk order waits for its payment before the kitchen sees it.
  ADD COLUMN kitchen_released boolean NOT NULL DEFAULT true,
  ADD CONSTRAINT orders_paid_within_total CHECK (paid_minor <= total_minor),
  ADD CONSTRAINT orders_refunded_within_paid CHECK (refunded_minor <= paid_minor);
CREATE UNIQUE INDEX orders_receipt_number ON orders (tenant_id, outlet_id, receipt_number) WHERE receipt_number IS NOT NULL;
CREATE INDEX orders_unpaid ON orders (tenant_id, outlet_id, created_at)
  WHERE payment_status IN ('unpaid', 'partially_paid') AND status <> 'cancelled';

CREATE TABLE receipt_counters (
  tenant_id    uuid NOT NULL,
  outlet_id    uuid NOT NULL,
  last_number  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, outlet_id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE payments (
  tenant_id               uuid NOT NULL,
  id                      uuid NOT NULL,
  outlet_id               uuid NOT NULL,
  order_id                uuid NOT NULL,
  client_payment_id       uuid NOT NULL,
  payload_hash            bytea NOT NULL,
  method                  text NOT NULL CHECK (method IN ('cash', 'card', 'qris')),
  status                  text NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'cancelled')),
  -- Applied to the bill.
  amount_minor            bigint NOT NULL CHECK (amount_minor > 0),
  -- Cash rounding when this payment settled the order (signed; cash only).
  rounding_minor          bigint NOT NULL DEFAULT 0,
  tendered_minor          bigint CHECK (tendered_minor >= 0),
  change_minor            bigint CHECK (change_minor >= 0),
  refunded_minor          bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
  card_approval_code      text CHECK (card_approval_code ~ '^[A-Za-z0-9]{1,12}$'),
  card_last4              text CHECK (card_last4 ~ '^[0-9]{4}$'),
  card_brand              text CHECK (card_brand IN ('visa', 'mastercard', 'jcb', 'amex', 'unionpay', 'gpn', 'other')),
  gateway                 text,
  -- What we sent the gateway as its order id (globally unique).
  gateway_order_id        text,
  gateway_transaction_id  text,
  qr_string               text,
  expires_at              timestamptz,
  shift_id                uuid,
  device_id               uuid,
  user_id                 uuid,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  paid_at                 timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  CHECK (method = 'card' OR (card_approval_code IS NULL AND card_last4 IS NULL AND card_brand IS NULL)),
  CHECK (method <> 'card' OR card_approval_code IS NOT NULL),
  CHECK (method = 'qris' OR status IN ('paid')),
  CHECK (method <> 'qris' OR gateway_order_id IS NOT NULL)
);
CREATE UNIQUE INDEX payments_client_payment_id ON payments (tenant_id, client_payment_id);
CREATE UNIQUE INDEX payments_gateway_order_id ON payments (gateway_order_id) WHERE gateway_order_id IS NOT NULL;
CREATE INDEX payments_by_order ON payments (tenant_id, order_id);
CREATE INDEX payments_pending ON payments (created_at) WHERE status = 'pending';
CREATE INDEX payments_by_shift ON payments (tenant_id, shift_id) WHERE shift_id IS NOT NULL;

CREATE TABLE refunds (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  outlet_id           uuid NOT NULL,
  order_id            uuid NOT NULL,
  payment_id          uuid NOT NULL,
  client_refund_id    uuid NOT NULL,
  payload_hash        bytea NOT NULL,
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  reason              text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  status              text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  gateway_refund_key  text,
  user_id             uuid,
  approved_by         uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE UNIQUE INDEX refunds_client_refund_id ON refunds (tenant_id, client_refund_id);
CREATE INDEX refunds_by_payment ON refunds (tenant_id, payment_id);
CREATE INDEX refunds_by_order ON refunds (tenant_id, order_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['receipt_counters', 'payments', 'refunds']
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

-- Payments and refunds are never deleted by the server.
GRANT SELECT, INSERT, UPDATE ON receipt_counters, payments, refunds TO pos_app;

-- The gateway's notifications as received (audit and replay analysis).
-- Written before the tenant is known, through the function below only;
-- a tenant reads the notifications of its own payments.
CREATE TABLE gateway_notifications (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway           text NOT NULL,
  gateway_order_id  text,
  tenant_id         uuid,
  body              jsonb NOT NULL,
  signature_ok      boolean NOT NULL,
  outcome           text NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gateway_notifications_by_order ON gateway_notifications (gateway_order_id);
ALTER TABLE gateway_notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE gateway_notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON gateway_notifications
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));
GRANT SELECT ON gateway_notifications TO pos_app;

-- The only cross-tenant paths of payments, both for the gateway's webhook
-- and the reconciliation job: find a charge by the id we gave the gateway,
-- and log what the gateway said.
GRANT SELECT ON payments TO pos_xt;
GRANT INSERT ON gateway_notifications TO pos_xt;

CREATE FUNCTION app.payment_by_gateway_order(p_gateway_order_id text)
  RETURNS TABLE (tenant_id uuid, outlet_id uuid, payment_id uuid, order_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT p.tenant_id, p.outlet_id, p.id, p.order_id
      FROM payments p
     WHERE p.gateway_order_id = p_gateway_order_id
  $$;

-- Pending charges older than `p_older_than`, oldest first, across tenants.
CREATE FUNCTION app.pending_gateway_payments(p_older_than interval, p_limit integer)
  RETURNS TABLE (tenant_id uuid, outlet_id uuid, payment_id uuid, order_id uuid, gateway_order_id text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT p.tenant_id, p.outlet_id, p.id, p.order_id, p.gateway_order_id
      FROM payments p
     WHERE p.status = 'pending' AND p.created_at < now() - p_older_than
     ORDER BY p.created_at
     LIMIT least(p_limit, 1000)
  $$;

CREATE FUNCTION app.log_gateway_notification(
    p_gateway text, p_gateway_order_id text, p_tenant uuid, p_body jsonb, p_signature_ok boolean, p_outcome text)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    INSERT INTO gateway_notifications (gateway, gateway_order_id, tenant_id, body, signature_ok, outcome)
    VALUES (p_gateway, left(p_gateway_order_id, 100), p_tenant, p_body, p_signature_ok, left(p_outcome, 100))
  $$;

ALTER FUNCTION app.payment_by_gateway_order(text) OWNER TO pos_xt;
ALTER FUNCTION app.pending_gateway_payments(interval, integer) OWNER TO pos_xt;
ALTER FUNCTION app.log_gateway_notification(text, text, uuid, jsonb, boolean, text) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.payment_by_gateway_order(text), app.pending_gateway_payments(interval, integer),
  app.log_gateway_notification(text, text, uuid, jsonb, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.payment_by_gateway_order(text), app.pending_gateway_payments(interval, integer),
  app.log_gateway_notification(text, text, uuid, jsonb, boolean, text) TO pos_app;
