DROP TABLE IF EXISTS audit_log, devices, refresh_tokens, user_outlets, users, outlets, tenants CASCADE;
DROP SCHEMA IF EXISTS app CASCADE;
