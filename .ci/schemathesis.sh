#!/usr/bin/env bash
# Schemathesis against the running API, from its own OpenAPI document, as the
# public and as an administrator (bearer token), in a bounded mode: no server
# error and no response that breaks the documented schema.
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=4.32.5
VENV="${TRIPART_ST_VENV:-/var/tmp/tripart-schemathesis-${ST_VERSION}}"
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-25}"
PORT="${ST_PORT:-18095}"

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$ST_VERSION"
fi

# .ci/run passes the binary its test build made; alone, this script builds one.
if [ -z "${TRIPART_BIN:-}" ]; then
  cargo build --quiet --locked -p tripart
  TRIPART_BIN="${CARGO_TARGET_DIR:-target}/debug/tripart"
fi
BIN="$(realpath "$TRIPART_BIN")"
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

export TRIPART_DATABASE_URL="sqlite://$WORK/schemathesis.db" TRIPART_LOG=warn
"$BIN" seed --catalogue catalogue
echo 'schemathesis passphrase' | "$BIN" user create --email admin@example.org --role admin >/dev/null
TOKEN="$("$BIN" token create --email admin@example.org 2>/dev/null)"
"$BIN" serve --no-seed --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

SCHEMA="http://127.0.0.1:$PORT/api/v1/openapi.json"
cd "$WORK"  # schemathesis keeps a cache in the working directory
CHECKS="not_a_server_error,response_schema_conformance"
echo "== schemathesis $ST_VERSION, public"
"$VENV/bin/schemathesis" run "$SCHEMA" --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed 7 --continue-on-failure
echo "== schemathesis $ST_VERSION, administrator"
"$VENV/bin/schemathesis" run "$SCHEMA" --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed 7 --continue-on-failure \
  -H "Authorization: Bearer $TOKEN"
if grep -q "panicked" server.log; then
  echo "the server panicked:"; cat server.log; exit 1
fi
