# Shared set-up for ./run and ./test. Sourced, not executed: it exports the
# environment the two commands need. Idempotent: a second run changes nothing.
set -euo pipefail

JIGSAW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR="$JIGSAW_ROOT/var"
mkdir -p "$VAR"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'jigsaw set-up: %s\n' "$*" >&2; exit 1; }

find_python() {
  local candidate
  for candidate in "${JIGSAW_PYTHON:-}" python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python3.12" \
      /root/.pyenv/versions/3.12.1/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "$HOME"/.pyenv/versions/3.12.*/bin/python3.12 /root/.pyenv/versions/3.12.*/bin/python3.12; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

setup_python() {
  PYTHON=$(find_python) || die "Python 3.12 is needed; install it or set JIGSAW_PYTHON to its path."
  local boot="$VAR/bootstrap"
  if [ ! -x "$boot/bin/uv" ]; then
    say "Installing uv (the Python package manager) into var/bootstrap"
    "$PYTHON" -m venv "$boot"
    "$boot/bin/python" -m pip install --quiet --disable-pip-version-check uv
  fi
  UV="$boot/bin/uv"
  say "Installing locked Python dependencies into .venv"
  (cd "$JIGSAW_ROOT" && UV_PROJECT_ENVIRONMENT="$JIGSAW_ROOT/.venv" \
    "$UV" sync --frozen --quiet --python "$PYTHON")
}

setup_assets() {
  local stamp="$VAR/assets.stamp" want
  want=$(cat "$JIGSAW_ROOT/package-lock.json" "$JIGSAW_ROOT/frontend/"*.scss | sha256sum | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$JIGSAW_ROOT/jigsaw/static/jigsaw.css" ]; then
    return 0
  fi
  command -v npm >/dev/null || die "npm (Node.js 20) is needed for the GOV.UK Frontend assets."
  say "Installing GOV.UK Frontend and building the stylesheet"
  (cd "$JIGSAW_ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  local dist="$JIGSAW_ROOT/node_modules/govuk-frontend/dist/govuk" static="$JIGSAW_ROOT/jigsaw/static"
  rm -rf "$static/govuk" && mkdir -p "$static/govuk" "$static/vendor"
  cp -R "$dist/assets" "$static/govuk/assets"
  cp "$dist/govuk-frontend.min.js" "$static/govuk/govuk-frontend.min.js"
  cp "$JIGSAW_ROOT/node_modules/axe-core/axe.min.js" "$static/vendor/axe.min.js"
  cp "$JIGSAW_ROOT/node_modules/htmx.org/dist/htmx.min.js" "$static/vendor/htmx.min.js"
  (cd "$JIGSAW_ROOT" && node_modules/.bin/sass --no-source-map --pkg-importer=node \
     --style=compressed --quiet-deps frontend/jigsaw.scss jigsaw/static/jigsaw.css)
  echo "$want" > "$stamp"
}

# PostgreSQL refuses to run as root, so as root the private cluster runs as an
# unprivileged account; it lives under var/ when that account can reach it.
pg_user_prefix() {
  if [ "$(id -u)" = 0 ]; then echo "runuser -u $PG_OWNER --"; fi
}

setup_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return 0; fi
  local bindir="${JIGSAW_PG_BINDIR:-}"
  if [ -z "$bindir" ]; then
    for bindir in /usr/lib/postgresql/{17,16,15}/bin ""; do
      [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && break
    done
  fi
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "Installing PostgreSQL from Debian's packages"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    else
      die "PostgreSQL server binaries not found; install postgresql or set DATABASE_URL."
    fi
  fi
  PG_OWNER=$(id -un)
  local pgdir="$VAR/postgres"
  if [ "$(id -u)" = 0 ]; then
    PG_OWNER=postgres
    id "$PG_OWNER" >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OWNER"
    mkdir -p "$pgdir"
    chown "$PG_OWNER" "$pgdir"
    if ! runuser -u "$PG_OWNER" -- test -w "$pgdir"; then
      # var/ sits under a directory the unprivileged account cannot enter.
      pgdir="/tmp/jigsaw-postgres-$(echo "$JIGSAW_ROOT" | sha256sum | cut -c1-12)"
      mkdir -p "$pgdir" && chown "$PG_OWNER" "$pgdir" && chmod 700 "$pgdir"
    fi
  fi
  local run; run=$(pg_user_prefix)
  local data="$pgdir/data" secrets="$VAR/secrets"
  mkdir -p "$secrets" && chmod 700 "$secrets"
  [ -f "$secrets/db-password" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$secrets/db-password")
  if [ ! -f "$data/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in $data"
    local pwfile="$pgdir/pwfile"
    cp "$secrets/db-password" "$pwfile"; chown "$PG_OWNER" "$pwfile" 2>/dev/null || true
    $run "$bindir/initdb" -D "$data" -U jigsaw --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    local port=54329
    while (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
    $run tee -a "$data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 100
fsync = on
CONF
    echo "$port" > "$VAR/postgres.port"
  fi
  PG_PORT=$(cat "$VAR/postgres.port")
  if ! $run "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
    $run "$bindir/pg_ctl" -D "$data" -l "$pgdir/server.log" -w -t 60 start >/dev/null
  fi
  export PGPASSWORD; PGPASSWORD=$(cat "$secrets/db-password")
  if ! "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U jigsaw -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'jigsaw'" | grep -q 1; then
    "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U jigsaw jigsaw
  fi
  unset PGPASSWORD
  export DATABASE_URL="postgres://jigsaw:$(cat "$secrets/db-password")@127.0.0.1:$PG_PORT/jigsaw"
}

setup_secrets() {
  local secrets="$VAR/secrets"
  mkdir -p "$secrets" && chmod 700 "$secrets"
  if [ -z "${JIGSAW_SECRET_KEY:-}${JIGSAW_SECRET_KEY_FILE:-}" ]; then
    [ -f "$secrets/secret-key" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' > "$secrets/secret-key")
    export JIGSAW_SECRET_KEY_FILE="$secrets/secret-key"
  fi
  if [ -z "${JIGSAW_AUDIT_KEY:-}${JIGSAW_AUDIT_KEY_FILE:-}" ]; then
    [ -f "$secrets/audit-key" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '\n' > "$secrets/audit-key")
    export JIGSAW_AUDIT_KEY_FILE="$secrets/audit-key"
  fi
}

setup_local_environment() {
  # The demo is served over plain HTTP on the loopback interface only.
  export JIGSAW_ALLOWED_HOSTS="${JIGSAW_ALLOWED_HOSTS:-127.0.0.1,localhost}"
  export JIGSAW_INSECURE_HTTP="${JIGSAW_INSECURE_HTTP:-1}"
  export JIGSAW_EMAIL_BACKEND="${JIGSAW_EMAIL_BACKEND:-console}"
}

# Remember the local settings so that .venv/bin/jigsaw and bench/ work from any shell.
write_local_env() {
  (umask 077; {
    echo "# Written by scripts/setup.sh for the local demo and tests; never used in production."
    for name in DATABASE_URL JIGSAW_SECRET_KEY_FILE JIGSAW_AUDIT_KEY_FILE JIGSAW_ALLOWED_HOSTS \
        JIGSAW_INSECURE_HTTP JIGSAW_EMAIL_BACKEND; do
      [ -n "${!name:-}" ] && printf '%s=%s\n' "$name" "${!name}"
    done
  } > "$VAR/jigsaw.env")
}

setup_all() {
  cd "$JIGSAW_ROOT"
  setup_python
  setup_assets
  setup_secrets
  setup_postgres
  setup_local_environment
  write_local_env
}
