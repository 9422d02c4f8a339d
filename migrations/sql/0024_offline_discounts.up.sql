-- Discounts given at a till while offline (issue 12, item 7). Above the
-- outlet's limit a manager's PIN is sealed on the till and checked by the
-- server at replay; when it does not check out, the discount is kept (the
-- money was already taken at that price) and flagged for the shift's reports.
ALTER TABLE order_discounts ADD COLUMN approval_unverified boolean NOT NULL DEFAULT false;
-- Given offline: what the till said, kept for the audit (never a PIN).
ALTER TABLE order_discounts ADD COLUMN offline boolean NOT NULL DEFAULT false;
CREATE INDEX order_discounts_unverified ON order_discounts (tenant_id, order_id) WHERE approval_unverified;
