DROP TABLE IF EXISTS tickets, orders, order_counters, outlet_events, outlet_event_seq;
DROP FUNCTION IF EXISTS app.append_outlet_event(uuid, text, jsonb);
DROP INDEX IF EXISTS devices_number_prefix;
ALTER TABLE devices DROP COLUMN IF EXISTS number_prefix;
