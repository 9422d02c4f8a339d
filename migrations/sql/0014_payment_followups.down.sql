DROP FUNCTION IF EXISTS app.pending_gateway_refunds(interval, integer);
REVOKE SELECT ON refunds FROM pos_xt;
DROP INDEX IF EXISTS refunds_pending;
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_surplus_is_paid;
ALTER TABLE payments DROP COLUMN IF EXISTS surplus;
