#!/usr/bin/env bash
# Makes sure the PostgreSQL named by DATABASE_URL answers and its database exists.
# When nothing answers on a local address, installs Debian's PostgreSQL if needed and starts it.
#   DATABASE_URL=postgresql://user:pass@127.0.0.1:5432/db scripts/ensure-postgres.sh
set -euo pipefail
URL=${DATABASE_URL:?DATABASE_URL must be set}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
step() { printf '[postgres %3ss] %s\n' "$SECONDS" "$*"; }

# postgresql://user[:pass]@host[:port]/db[?params]
re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/?]+)(:([0-9]+))?/([^?]+)'
[[ "$URL" =~ $re ]] || { echo "DATABASE_URL is not a postgresql://user@host/db URL" >&2; exit 2; }
# Set when this run installed the server itself: only then may it give the URL's role a password.
INSTALLED_HERE=0
DB_USER=${BASH_REMATCH[2]}; DB_PASS=${BASH_REMATCH[4]}; DB_HOST=${BASH_REMATCH[5]}; DB_PORT=${BASH_REMATCH[7]:-5432}; DB_NAME=${BASH_REMATCH[8]}

if ! command -v pg_isready >/dev/null; then
  step "installing postgresql"
  [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || INSTALLED_HERE=1
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT" -t 3; then
  case "$DB_HOST" in 127.*|localhost|::1) ;; *) echo "PostgreSQL at $DB_HOST:$DB_PORT does not answer" >&2; exit 1 ;; esac
  [ -n "$(ls /etc/postgresql 2>/dev/null)" ] || {
    step "installing postgresql server"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    INSTALLED_HERE=1
  }
  version=$(ls /etc/postgresql | sort -V | tail -1)
  step "starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 50); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 0.2; done
  pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || { echo "PostgreSQL did not start on $DB_HOST:$DB_PORT" >&2; exit 1; }
fi

# A server this run installed only lets the postgres OS user in (peer auth): give the URL's
# user the URL's password so TCP logins work. An existing server is the operator's: when the
# URL's credentials do not log in, say so and stop, never change its roles or passwords.
if ! login_error=$(PGPASSWORD=$DB_PASS psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc 'select 1' 2>&1 >/dev/null); then
  if [ "$INSTALLED_HERE" != 1 ]; then
    echo "PostgreSQL at $DB_HOST:$DB_PORT refuses user $DB_USER: ${login_error:-login failed}" >&2
    echo "Fix DATABASE_URL (user, password) or the server's role and pg_hba.conf; virtfleet does not change an existing database server." >&2
    exit 1
  fi
  step "setting the password of role $DB_USER on the server installed just now"
  role_sql="DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER; END IF; END \$\$; ALTER ROLE \"$DB_USER\" PASSWORD '$DB_PASS';"
  # Fed on stdin: passing it through `su -c` would let the shell expand its $$.
  if [ "$(id -u)" = 0 ]; then echo "$role_sql" | su postgres -c "psql -q -p $DB_PORT"; else echo "$role_sql" | sudo -u postgres psql -q -p "$DB_PORT"; fi
fi

if ! PGPASSWORD=$DB_PASS psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname = '$DB_NAME'" | grep -q 1; then
  step "creating database $DB_NAME"
  PGPASSWORD=$DB_PASS psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc "CREATE DATABASE \"$DB_NAME\""
fi
