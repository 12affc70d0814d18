#!/usr/bin/env bash
# A throwaway PostgreSQL database for the PostgreSQL tests (tests/storage/test_postgresql.py), on this machine.
# Installs PostgreSQL when it is missing (Debian/Ubuntu, sudo when not root), starts its cluster, creates the
# role and database "hemgenix_test" (and the program's least-privilege role "hemgenix_test_app") with a new random password (the database is dropped and made anew: it is
# emptied on every run) and prints the URL the tests read from HEMGENIX_TEST_POSTGRES_URL, on stdout, alone:
#
#   export HEMGENIX_TEST_POSTGRES_URL="$(bash scripts/test-postgres.sh)"
#   ./scripts/run-tests tests/storage
#
# When HEMGENIX_TEST_POSTGRES_URL is set already (a server of your own), it prints it and does nothing else.
# Messages go to stderr. Never point it at a database that holds anything you want to keep.
set -euo pipefail

if [ -n "${HEMGENIX_TEST_POSTGRES_URL:-}" ]; then
  echo "$HEMGENIX_TEST_POSTGRES_URL"
  exit 0
fi

ROLE=hemgenix_test
DATABASE=hemgenix_test
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

fail() {
  echo "$1" >&2
  exit 1
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "PostgreSQL is not installed and this is not Debian or Ubuntu. Install \
PostgreSQL, create a throwaway database, and set HEMGENIX_TEST_POSTGRES_URL to its URL \
(postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE)."
  echo "Installing PostgreSQL (apt-get) …" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# The cluster: the first one pg_lsclusters lists; make "main" of the newest version when there is none.
cluster="$(pg_lsclusters -h | sed -n 1p)"
if [ -z "$cluster" ]; then
  version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
  echo "Creating the PostgreSQL $version cluster “main” …" >&2
  $SUDO pg_createcluster "$version" main >&2
  cluster="$(pg_lsclusters -h | sed -n 1p)"
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  echo "Starting PostgreSQL $version/$name on port $port …" >&2
  log="$(mktemp)"
  if ! $SUDO pg_ctlcluster "$version" "$name" start </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "PostgreSQL $version/$name did not start; its log is in /var/log/postgresql/."
  fi
  rm -f "$log"
fi
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || fail "PostgreSQL $version/$name does not answer on 127.0.0.1:$port."

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -u postgres -- "$@")
  fi
}

# A new random password every run; psql reads it from stdin, so it shows in no process list.
password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -v role="$ROLE" -v db="$DATABASE" >&2 <<SQL
\set password '$password'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
-- The program's own least-privilege role (tests/storage/test_least_privilege.py): "<role>_app", same password.
SELECT format('CREATE ROLE %I LOGIN', :'role' || '_app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role' || '_app')
\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role' || '_app', :'password')
\gexec
\o /dev/null
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :'db';
\o
DROP DATABASE IF EXISTS :"db";
CREATE DATABASE :"db" OWNER :"role";
SQL

echo "PostgreSQL $version/$name: database $DATABASE ready for the PostgreSQL tests." >&2
echo "postgresql+psycopg://$ROLE:$password@127.0.0.1:$port/$DATABASE"
