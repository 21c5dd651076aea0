#!/usr/bin/env bash
# PostgreSQL for the server's tests (and for trying `airlock serve --database postgres://...`): installs Debian's
# PostgreSQL, makes a cluster owned by the postgres user (initdb refuses root; no systemd here), starts it on
# 127.0.0.1:${AIRLOCK_PG_PORT:-5433} (5433: Debian's own 'main' cluster is set up for 5432, should anything start it),
# and creates the role and database the tests use. Safe to run again.
source "$(dirname "$0")/lib.sh"

port=${AIRLOCK_PG_PORT:-5433}
data=${AIRLOCK_PG_DATA:-/var/lib/postgresql/airlock}
role=airlock
password=airlock
database=airlock_test

apt_install postgresql
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || die "no initdb under /usr/lib/postgresql; is the postgresql package installed?"
as_postgres() { runuser -u postgres -- "$@"; }

if [ ! -f "$data/PG_VERSION" ]; then
  log "initdb $data"
  mkdir -p "$data"
  chown postgres:postgres "$data"
  chmod 700 "$data"
  as_postgres "$bin/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null
fi

mkdir -p /var/run/postgresql
chown postgres:postgres /var/run/postgresql
if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  # Another PostgreSQL (Debian's own 'main' cluster, say) may hold the port already: say so instead of failing obscurely.
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    die "port $port is taken by another server (pg_lsclusters shows Debian's clusters); stop it, or set AIRLOCK_PG_PORT and AIRLOCK_TEST_POSTGRES=postgres://airlock:airlock@127.0.0.1:PORT/airlock_test"
  fi
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=/var/run/postgresql -c max_connections=300 -c fsync=on" start >/dev/null
fi

psql_admin() { as_postgres psql -h /var/run/postgresql -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]; then
  log "creating role $role"
  psql_admin -c "CREATE ROLE $role LOGIN PASSWORD '$password' CREATEDB"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
  log "creating database $database"
  psql_admin -c "CREATE DATABASE $database OWNER $role"
fi

log "PostgreSQL ready: postgres://$role:$password@127.0.0.1:$port/$database"
