#!/usr/bin/env bash
# Runs once, when the postgres data volume is empty (docker-entrypoint-initdb.d):
# creates the pos_owner, pos_app and pos_xt roles and the pos database.
set -eo pipefail

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v db=pos \
  -v owner_pw="${POS_OWNER_PASSWORD:?set POS_OWNER_PASSWORD}" \
  -v app_pw="${POS_APP_PASSWORD:?set POS_APP_PASSWORD}" \
  -f /bootstrap-roles.sql
