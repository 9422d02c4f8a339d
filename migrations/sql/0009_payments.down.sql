DROP FUNCTION IF EXISTS app.log_gateway_notification(text, text, uuid, jsonb, boolean, text);
DROP FUNCTION IF EXISTS app.pending_gateway_payments(interval, integer);
DROP FUNCTION IF EXISTS app.payment_by_gateway_order(text);
DROP TABLE IF EXISTS gateway_notifications;
DROP TABLE IF EXISTS refunds;
DROP TABLE IF EXISTS payments;
DROP TABLE IF EXISTS receipt_counters;
DROP INDEX IF EXISTS orders_unpaid;
DROP INDEX IF EXISTS orders_receipt_number;
ALTER TABLE orders
  DROP CONSTRAINT IF EXISTS orders_refunded_within_paid,
  DROP CONSTRAINT IF EXISTS orders_paid_within_total,
  DROP COLUMN IF EXISTS kitchen_released,
  DROP COLUMN IF EXISTS paid_at,
  DROP COLUMN IF EXISTS receipt_number,
  DROP COLUMN IF EXISTS rounding_minor,
  DROP COLUMN IF EXISTS refunded_minor,
  DROP COLUMN IF EXISTS paid_minor,
  DROP COLUMN IF EXISTS payment_status;
ALTER TABLE users DROP COLUMN IF EXISTS pin_hash;
ALTER TABLE outlets
  DROP COLUMN IF EXISTS tax_number,
  DROP COLUMN IF EXISTS kiosk_kitchen_release,
  DROP COLUMN IF EXISTS cash_rounding_step,
  ALTER COLUMN tax_rate_bp SET DEFAULT 1100;
