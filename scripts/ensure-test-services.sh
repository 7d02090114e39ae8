#!/usr/bin/env bash
# Makes sure what the test suite talks to is there: PostgreSQL and Redis answering on
# 127.0.0.1, the suite's own PgBouncer in front of that PostgreSQL (on 127.0.0.1:6433, for the
# run through PgBouncer: `make pgbouncer`), and Debian's Chromium for the browser tests. Starts what is installed but down;
# on a Debian machine where we are root, installs what is missing; otherwise says what to do.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  for _ in $(seq 1 30); do listening "$1" && return 0; sleep 1; done
  return 1
}

apt_updated=""
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "Missing: $*. Install it (on Debian: sudo apt-get install $*) and run make test again." >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  listening 5432 && return 0
  local fresh=""
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "Installing PostgreSQL from Debian's packages..."
    apt_install postgresql
    fresh=1
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ -n "$fresh" ]; then
    # A cluster we just created for tests: let local TCP connections in without a password,
    # as the test settings expect (postgres@127.0.0.1).
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' \
      "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  echo "Starting PostgreSQL $version..."
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  else
    echo "PostgreSQL is installed but not running; start it (sudo pg_ctlcluster $version main start)." >&2
    exit 1
  fi
  wait_for 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432." >&2; exit 1; }
}

ensure_redis() {
  listening 6379 && return 0
  command -v redis-server >/dev/null || { echo "Installing Redis..."; apt_install redis-server; }
  echo "Starting Redis..."
  mkdir -p /tmp/cpd-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/cpd-redis --logfile /tmp/cpd-redis/redis.log
  wait_for 6379 || { echo "Redis did not start on 127.0.0.1:6379." >&2; exit 1; }
}

# A PgBouncer of the suite's own, configured as production's would be (transaction pooling),
# in front of the PostgreSQL above: any database name is passed through to it, and the user
# postgres gets in without a password, as PostgreSQL's trust for loopback lets it.
PGBOUNCER_PORT=6433
PGBOUNCER_DIR=/tmp/cpd-pgbouncer
ensure_pgbouncer() {
  listening "$PGBOUNCER_PORT" && return 0
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] \
    || { echo "Installing PgBouncer..."; apt_install pgbouncer; }
  echo "Starting PgBouncer on 127.0.0.1:$PGBOUNCER_PORT..."
  mkdir -p "$PGBOUNCER_DIR"
  cat >"$PGBOUNCER_DIR/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
pool_mode = transaction
auth_type = trust
auth_file = $PGBOUNCER_DIR/userlist.txt
admin_users = postgres
max_client_conn = 200
default_pool_size = 20
logfile = $PGBOUNCER_DIR/pgbouncer.log
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$PGBOUNCER_DIR/userlist.txt"
  local pgbouncer
  pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
  if [ "$(id -u)" = 0 ]; then
    # PgBouncer refuses to run as root.
    chown -R postgres: "$PGBOUNCER_DIR"
    "$pgbouncer" -d -u postgres "$PGBOUNCER_DIR/pgbouncer.ini"
  else
    "$pgbouncer" -d "$PGBOUNCER_DIR/pgbouncer.ini"
  fi
  wait_for "$PGBOUNCER_PORT" \
    || { echo "PgBouncer did not start on 127.0.0.1:$PGBOUNCER_PORT." >&2; exit 1; }
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  echo "Installing Chromium for the browser tests..."
  apt_install chromium fonts-dejavu-core
}

# WeasyPrint renders evidence packs with Pango, and the PDFs use DejaVu fonts; pdftoppm (from
# poppler-utils) is for looking at what was rendered.
ensure_pdf_libraries() {
  local missing=()
  for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} for rendering PDFs..."
  apt_install "${missing[@]}"
}

ensure_postgres
ensure_redis
ensure_pgbouncer
ensure_chromium
ensure_pdf_libraries
echo "PostgreSQL, Redis, PgBouncer, Chromium and the PDF libraries are ready."
