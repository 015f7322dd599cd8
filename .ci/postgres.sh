#!/usr/bin/env bash
# Install (Debian packages) and start a local PostgreSQL for the store tests; prints the test URL.
# Used by .ci/run; runs as root. Idempotent: an installed, running server is reused.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
SELECT 'CREATE ROLE marsad LOGIN PASSWORD ''marsad'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'marsad') \gexec
SELECT 'CREATE DATABASE marsad_test OWNER marsad'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'marsad_test') \gexec
SQL
echo "postgresql://marsad:marsad@127.0.0.1:$port/marsad_test"
