#!/usr/bin/env bash
# What a hard kill (SIGKILL) loses: answered calls whose records were still queued.
# Sends requests from 4 parallel loops, kills the server with SIGKILL mid-traffic, then counts the
# answered calls (HTTP 200 received by the clients) against the rows in the store.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-19400}"; SECONDS_BEFORE_KILL="${SECONDS_BEFORE_KILL:-5}"
WORK="$(mktemp -d)"; trap 'kill -9 $SY 2>/dev/null; rm -rf "$WORK"' EXIT
dotnet build -c Release "$ROOT/src/Switchyard" -v q -nologo >/dev/null
dotnet "$ROOT/artifacts/bin/Switchyard/release/switchyard.dll" serve --urls "http://127.0.0.1:$PORT" --data "$WORK/data" >"$WORK/serve.log" 2>&1 &
SY=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/live" >/dev/null && break; sleep 0.1; done
body='{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}'
for w in 1 2 3 4; do
  ( end=$((SECONDS + SECONDS_BEFORE_KILL + 2)); while [ $SECONDS -lt $end ]; do
      curl -s -o /dev/null -w '%{http_code}\n' -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/v1/chat/completions" || echo 000
    done > "$WORK/codes.$w" ) &
done
sleep "$SECONDS_BEFORE_KILL"
kill -9 $SY
wait 2>/dev/null
answered=$(cat "$WORK"/codes.* | grep -c '^200$')
stored=$(python3 - "$WORK/data/switchyard.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from calls").fetchone()[0])
PY
)
echo "answered (200): $answered   recorded: $stored   lost by SIGKILL: $((answered - stored))"
