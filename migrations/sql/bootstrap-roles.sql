-- Run once per PostgreSQL cluster by a superuser (the setup scripts do this for
-- their private cluster; a DBA runs it by hand elsewhere), with psql variables:
--   psql -v db=pos -v owner_pw=... -v app_pw=... -f bootstrap-roles.sql
-- pos_owner  owns the schema and runs migrations. Not used by the server at runtime.
-- pos_app    what the server connects as: not superuser, not owner, not BYPASSRLS.
-- pos_xt     owns the few SECURITY DEFINER functions that must cross tenants
--            (login lookup, device pairing). It cannot log in.
SELECT format('CREATE ROLE pos_owner LOGIN PASSWORD %L', :'owner_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pos_owner') \gexec
SELECT format('CREATE ROLE pos_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT PASSWORD %L', :'app_pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pos_app') \gexec
SELECT 'CREATE ROLE pos_xt NOLOGIN BYPASSRLS'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pos_xt') \gexec
ALTER ROLE pos_owner NOSUPERUSER NOBYPASSRLS PASSWORD :'owner_pw';
ALTER ROLE pos_app NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :'app_pw';
GRANT pos_xt TO pos_owner;
SELECT format('CREATE DATABASE %I OWNER pos_owner', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
\connect :db
ALTER SCHEMA public OWNER TO pos_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO pos_app;
