DELETE FROM devices WHERE kind = 'till';
ALTER TABLE devices DROP CONSTRAINT devices_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_kind_check CHECK (kind IN ('kiosk', 'kds', 'board'));
