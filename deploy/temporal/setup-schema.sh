#!/bin/sh
# Creates Temporal's two PostgreSQL databases (history and visibility) and upgrades them to the
# schema of the admin-tools image it runs in. The password comes from SQL_PASSWORD.
# NOTE: it runs on every `docker compose up`. The deprecated temporalio/auto-setup image ran the
# same three steps on every start, which is why repeating them is taken as safe; not run here.
set -eu

host="${POSTGRES_SEEDS:?POSTGRES_SEEDS must name the PostgreSQL host}"
port="${DB_PORT:-5432}"
user="${POSTGRES_USER:?POSTGRES_USER must name the PostgreSQL user}"
schema_dir=/etc/temporal/schema/postgresql/v12

for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
  nc -z -w 5 "$host" "$port" && break
  if [ "$attempt" = 12 ]; then
    echo "timed out: PostgreSQL at $host:$port not reachable after 60 s; check the postgresql service" >&2
    exit 1
  fi
  sleep 5
done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$host" -p "$port" -u "$user" "$@"
}

for database in temporal temporal_visibility; do
  case "$database" in
    temporal) versioned="$schema_dir/temporal/versioned" ;;
    *) versioned="$schema_dir/visibility/versioned" ;;
  esac
  # `create` may fail because the database exists. A real connection problem then fails setup-schema.
  sql_tool --db "$database" create || echo "database $database already exists"
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$versioned"
done

echo 'Temporal schema is up to date'
