-- Stores a new order and opens its kitchen tickets in one statement, taking
-- the outlet's next pickup number for the business day when the device
-- brought none ($6 is null), and takes the stock its lines need (the CTEs
-- of `stock::ledger::sale_ctes`, put in below, which yield the balances it
-- changed as `changes`). One statement, so the counter row and the balance rows stay
-- locked only for it, the events and the commit.
--
-- $1 tenant, $2 order id, $3 outlet, $4 client_order_id, $5 payload hash,
-- $6 the device's own number or null, $7 business date, $8 channel,
-- $9 customer name, $10 table, $11 lines, $12..$15 subtotal, service charge,
-- tax and total, $16 currency, $17 flags, $18 device, $19 user,
-- $20 created_at_client, $21 the tickets ([{id, station, lines}]), $22 whether
-- the kitchen sees it now (false: a kiosk order waiting for its payment),
-- $23 the table a check is seated at, $24 its number of guests,
-- $25..$30 the sale's own (`stock::ledger::sale_values`).
WITH n AS (
    INSERT INTO order_counters AS c (tenant_id, outlet_id, business_date, last_number)
    SELECT $1, $3, $7, 1 WHERE $6::text IS NULL
    ON CONFLICT (tenant_id, outlet_id, business_date) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number
),
o AS (
    INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, business_date, status,
                        channel, customer_name, table_label, lines, subtotal_minor, service_charge_minor, tax_minor,
                        total_minor, currency, flags, device_id, user_id, created_at_client, kitchen_released,
                        table_id, guest_count)
    SELECT $1, $2, $3, $4, $5, coalesce($6::text, (SELECT last_number::text FROM n)), $7, 'placed',
           $8, $9, $10, $11, $12, $13, $14,
           $15, $16, $17, $18, $19, $20, $22, $23, $24
    RETURNING {COLUMNS}
),
t AS (
    INSERT INTO tickets (tenant_id, id, order_id, outlet_id, station, status, lines)
    SELECT $1, (r->>'id')::uuid, $2, $3, r->>'station', 'open', r->'lines'
      FROM jsonb_array_elements($21::jsonb) r
),
{SALE}
SELECT o.*, (SELECT coalesce(json_agg(c ORDER BY c.ingredient_id), '[]') FROM changes c) AS stock FROM o
