#!/usr/bin/env bash
# Backs up a placematch PostgreSQL database with pg_dump, restores the dump into a fresh
# database on the same server with pg_restore, and compares the row count of every table.
# Exits non-zero when any count differs, so it can run on a schedule to prove the backups work.
#
#   DATABASE_URL=postgres://user:pass@host/placematch scripts/backup-check.sh
#
# The URL's user must be allowed to create databases. Environment:
#   BACKUP_FILE   where to write the dump (default: a temporary file, removed afterwards)
#   RESTORE_DB    name of the database to restore into (default: <db>_restore_check_<pid>),
#                 dropped afterwards unless KEEP_RESTORE=1
#   PG_BIN        folder of pg_dump, pg_restore and psql (default: PATH, else the newest
#                 /usr/lib/postgresql/*/bin)
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the postgres:// URL of the database to back up}"
src=$DATABASE_URL

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  if command -v pg_dump >/dev/null 2>&1; then
    bin=$(dirname "$(command -v pg_dump)")
  else
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
fi
for tool in pg_dump pg_restore psql; do
  [ -x "$bin/$tool" ] || { echo "backup-check: $tool not found (set PG_BIN)" >&2; exit 2; }
done
psql() { "$bin/psql" -X -v ON_ERROR_STOP=1 -At "$@"; }

db=$(psql "$src" -c 'SELECT current_database()')
target=${RESTORE_DB:-${db}_restore_check_$$}
# The target URL is the source URL with the database name replaced.
target_url=$(printf '%s' "$src" | sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1${target}#")
dump=${BACKUP_FILE:-$(mktemp -t placematch-backup.XXXXXX)}
cleanup() {
  [ -n "${BACKUP_FILE:-}" ] || rm -f "$dump"
  if [ "${KEEP_RESTORE:-0}" != 1 ]; then
    psql "$src" -c "DROP DATABASE IF EXISTS \"$target\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

start=$(date +%s)
"$bin/pg_dump" --format=custom --no-owner --no-privileges --file "$dump" "$src"
echo "dumped $db to $dump ($(du -h "$dump" | cut -f1)) in $(( $(date +%s) - start )) s"

psql "$src" -c "CREATE DATABASE \"$target\"" >/dev/null
start=$(date +%s)
"$bin/pg_restore" --no-owner --no-privileges --exit-on-error --dbname "$target_url" "$dump"
echo "restored into $target in $(( $(date +%s) - start )) s"

tables=$(psql "$src" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
[ -n "$tables" ] || { echo "backup-check: no tables in $db" >&2; exit 1; }
status=0
printf '%-28s %12s %12s\n' table source restored
for t in $tables; do
  a=$(psql "$src" -c "SELECT count(*) FROM \"$t\"")
  b=$(psql "$target_url" -c "SELECT count(*) FROM \"$t\"")
  mark=""
  if [ "$a" != "$b" ]; then mark="  DIFFERS"; status=1; fi
  printf '%-28s %12s %12s%s\n' "$t" "$a" "$b" "$mark"
done
# The restored database keeps its protections: the audit log still refuses changes.
if psql "$target_url" -c "DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)" >/dev/null 2>&1; then
  echo "backup-check: the restored audit log accepted a DELETE" >&2
  status=1
fi
if [ $status -eq 0 ]; then echo "backup-check: every table restored with the same rows"; fi
exit $status
