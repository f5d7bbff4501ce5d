#!/usr/bin/env bash
# Dashboard page times on a large store: seeds CALLS recorded calls (default 1,000,000) over DAYS days
# (default 7) with `Switchyard.Benchmarks seed-traces`, starts `switchyard serve` on that data, signs in
# through the sign-in form, and times each page (median of ROUNDS loads, after one warm-up) with curl.
#   bash bench/dashboard.sh                 writes bench/results/dashboard-YYYYMMDD.md
# Env: CALLS, DAYS, ROUNDS (5), PORT (19850), SKIP_BUILD=1, OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CALLS="${CALLS:-1000000}"
DAYS="${DAYS:-7}"
ROUNDS="${ROUNDS:-5}"
PORT="${PORT:-19850}"
OUT="${OUT:-$ROOT/bench/results/dashboard-$(date -u +%Y%m%d).md}"
WORK="$(mktemp -d /tmp/switchyard-dashboard.XXXXXX)"
TAG=dashboard
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
require_free_ports "$PORT"
cd "$ROOT" && build_release
dotnet build "$ROOT/bench/Switchyard.Benchmarks" -c Release -v q -nologo >/dev/null

log "seeding $CALLS calls over $DAYS days"
dotnet run -c Release --no-build --project "$ROOT/bench/Switchyard.Benchmarks" -- seed-traces "$WORK/data" "$CALLS" "$DAYS" >&2
ADMIN="sy-admin-dashboard-bench-0123456789abcdef0123"
started=$(date +%s.%N)
SWITCHYARD_ADMIN_KEY="$ADMIN" "$ROOT/artifacts/bin/Switchyard/release/switchyard" serve --urls "http://127.0.0.1:$PORT" --data "$WORK/data" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/health/live" 600 || { cat "$WORK/serve.log" >&2; exit 1; }
ready=$(echo "$(date +%s.%N) - $started" | bc)
log "serving after ${ready}s ($(grep -o 'Built the per-minute rollups.*' "$WORK/serve.log" || echo 'rollups already present'))"

B="http://127.0.0.1:$PORT"
JAR="$WORK/cookies"
token="$(curl -fsS -c "$JAR" -b "$JAR" "$B/ui/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*' | sed 's/.*value="//')"
curl -fsS -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "Key=$ADMIN" --data-urlencode "__RequestVerificationToken=$token" "$B/ui/session"

PAGES=("/ui" "/ui?window=24h" "/ui?window=7d" "/ui?window=7d&model=gpt-4o" "/ui?window=24h&key=key_3" "/ui?window=7d&key=key_3" "/ui?window=7d&team=team-1" "/ui?window=7d&user=user-5"
       "/ui/traces" "/ui/traces?window=7d&team=team-1" "/ui/keys" "/ui/spend" "/ui/models" "/ui/cache")
{
  echo "# Dashboard page times — $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "- $(nproc) cores, $CALLS recorded calls over $DAYS days (\`seed-traces\`), SQLite store $(du -h "$WORK/data/switchyard.db" | cut -f1)"
  echo "- First start on that store, rollups built from the calls: ready after ${ready} s"
  echo "- Each page: median of $ROUNDS loads after one warm-up, signed in, curl time_total (server render + transfer)"
  echo
  echo "| page | status | median ms | max ms |"
  echo "|---|---:|---:|---:|"
  for page in "${PAGES[@]}"; do
    curl -fsS -o /dev/null -b "$JAR" "$B$page" || true
    times=()
    status=""
    for _ in $(seq "$ROUNDS"); do
      read -r status t < <(curl -s -o /dev/null -b "$JAR" -w "%{http_code} %{time_total}\n" "$B$page")
      times+=("$t")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    median="${sorted[$((ROUNDS / 2))]}"
    max="${sorted[$((ROUNDS - 1))]}"
    printf '| `%s` | %s | %.0f | %.0f |\n' "$page" "$status" "$(echo "$median * 1000" | bc)" "$(echo "$max * 1000" | bc)"
  done
} | tee "$OUT"
log "wrote $OUT"
