#!/usr/bin/env bash
# Read-API benchmark: requests per second and p50/p99 latency under wrk on loopback,
# for Tripart on SQLite and on PostgreSQL, beside nginx serving a static file of the
# same size as each response (the ceiling), all in the same run.
#
#   bench/read-api.sh            # prints a Markdown table; paste it into BENCHMARKS.md
#
# Needs: wrk, nginx (Debian packages), PostgreSQL at 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_BENCH_DB=tripart_bench

for tool in wrk nginx psql curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light postgresql-client curl)" >&2; exit 1; }
done

cargo build --release --quiet -p tripart
ROOT="$(pwd)"
BIN="$(realpath "${CARGO_TARGET_DIR:-target}/release/tripart")"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

wait_up() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1$2" >/dev/null && return 0; sleep 0.5; done; echo "port $1 never answered" >&2; exit 1; }

# Tripart on SQLite.
(cd "$WORK" && TRIPART_LOG=warn exec "$BIN" serve --bind 127.0.0.1:18081 --catalogue "$ROOT/catalogue" >"$WORK/sqlite.log" 2>&1) &
PIDS+=($!)
# Tripart on PostgreSQL, in a database of its own.
psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_BENCH_DB" -c "CREATE DATABASE $PG_BENCH_DB"
PG_URL="${PG_ADMIN_URL%/*}/$PG_BENCH_DB"
(TRIPART_LOG=warn TRIPART_DATABASE_URL="$PG_URL" exec "$BIN" serve --bind 127.0.0.1:18082 --catalogue catalogue >"$WORK/pg.log" 2>&1) &
PIDS+=($!)

# nginx serving static files of the same sizes.
mkdir -p "$WORK/www" "$WORK/nginx"
echo ok >"$WORK/www/index.html"
chmod 755 "$WORK" "$WORK/www"  # nginx workers run as www-data
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  default_type application/json;
  server { listen 127.0.0.1:18083; root $WORK/www; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

wait_up 18081 /healthz
wait_up 18082 /healthz
wait_up 18083 /

run_wrk() { # url -> "rps p50 p99"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad != "") { print "ERROR non-2xx " bad; exit 1 } printf "%s %s %s\n", rps, p50, p99 }'
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback, load generator on the same machine."
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "| endpoint | bytes | SQLite req/s | SQLite p50 | SQLite p99 | PostgreSQL req/s | PostgreSQL p50 | PostgreSQL p99 | nginx static req/s | nginx p50 | nginx p99 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
i=0
for path in \
  "/api/v1/actions?limit=50" \
  "/api/v1/actions?body=slom-wg&year=2012" \
  "/api/v1/meetings/afml-5" \
  "/api/v1/actions/slom-wg-wp-2011-2015.8.1" \
  "/api/v1/ratifications/matrix?as_of=2013-11-01" \
  "/healthz"; do
  i=$((i + 1))
  curl -sf "http://127.0.0.1:18081$path" >"$WORK/www/static$i.json"
  bytes=$(wc -c <"$WORK/www/static$i.json")
  read -r s_rps s_p50 s_p99 <<<"$(run_wrk "http://127.0.0.1:18081$path")"
  read -r p_rps p_p50 p_p99 <<<"$(run_wrk "http://127.0.0.1:18082$path")"
  read -r n_rps n_p50 n_p99 <<<"$(run_wrk "http://127.0.0.1:18083/static$i.json")"
  echo "| \`$path\` | $bytes | $s_rps | $s_p50 | $s_p99 | $p_rps | $p_p50 | $p_p99 | $n_rps | $n_p50 | $n_p99 |"
done
