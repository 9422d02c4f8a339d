-- What the payment issue left for staff and the reconciliation job.
--
-- A QRIS charge the customer paid although the order no longer needed it
-- (we had expired or cancelled the QR code and the order was paid another
-- way, or cancelled): the money is in, so the payment is `paid`, but it is
-- not counted on the order (`orders.paid_minor` never exceeds the total).
-- It is marked `surplus` and staff refund it; the order carries the flag
-- `refund_due` until they have.
ALTER TABLE payments ADD COLUMN surplus boolean NOT NULL DEFAULT false;
ALTER TABLE payments ADD CONSTRAINT payments_surplus_is_paid CHECK (NOT surplus OR status = 'paid');

-- Refunds the gateway has not confirmed yet (it could not be reached, or
-- answered "pending"), across tenants, for the reconciliation job to ask
-- again with the same idempotency key.
CREATE INDEX refunds_pending ON refunds (updated_at) WHERE status = 'pending';
GRANT SELECT ON refunds TO pos_xt;

CREATE FUNCTION app.pending_gateway_refunds(p_older_than interval, p_limit integer)
  RETURNS TABLE (tenant_id uuid, outlet_id uuid, refund_id uuid, gateway_order_id text, refund_key text,
                 amount_minor bigint, reason text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT r.tenant_id, r.outlet_id, r.id, p.gateway_order_id, r.gateway_refund_key, r.amount_minor, r.reason
      FROM refunds r
      JOIN payments p ON p.tenant_id = r.tenant_id AND p.id = r.payment_id
     WHERE r.status = 'pending' AND r.updated_at < now() - p_older_than
       AND p.gateway_order_id IS NOT NULL AND r.gateway_refund_key IS NOT NULL
     ORDER BY r.updated_at
     LIMIT least(p_limit, 1000)
  $$;
ALTER FUNCTION app.pending_gateway_refunds(interval, integer) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.pending_gateway_refunds(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.pending_gateway_refunds(interval, integer) TO pos_app;
