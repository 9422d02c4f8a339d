-- A counter till is a device kind of its own: paired like a kiosk, and
-- cashiers sign in on it with their PIN.
ALTER TABLE devices DROP CONSTRAINT devices_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_kind_check CHECK (kind IN ('kiosk', 'kds', 'board', 'till'));
