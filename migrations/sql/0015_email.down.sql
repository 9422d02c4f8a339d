DROP FUNCTION IF EXISTS app.accounts_by_email(text);
DROP FUNCTION IF EXISTS app.account_token(bytea);
DROP FUNCTION IF EXISTS app.email_attempted(uuid, uuid, text, timestamptz);
DROP FUNCTION IF EXISTS app.claim_emails(integer, interval, uuid);
DROP TABLE IF EXISTS account_tokens;
DROP TABLE IF EXISTS email_outbox;
