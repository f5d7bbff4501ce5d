#!/usr/bin/env bash
# Soak test: mixed traffic through the gateway for a long time, sampling its memory, threads,
# descriptors and sockets, to show nothing grows once it is warm.
#
#   bash bench/soak.sh                  30 minutes
#   DURATION=120 bash bench/soak.sh     a 2-minute smoke run of the same path
#
# Two bench/Switchyard.Chaos upstreams on 127.0.0.1 (healthy: 2 ms, no faults; faulty: 2 ms, 30 % HTTP
# 500) and a gateway with three model groups: `soak-plain` (both upstreams), `soak-sandbox` (simulated
# model, 2 ms between tokens, 5 % of streams cut) and `soak-broken` (simulated model that always
# fails). `switchyard-chaos soak` sends plain calls, streams, calls to the broken group and client
# cancellations (streams after their first chunk, plain calls after 0-20 ms) for DURATION seconds and
# samples the gateway process every SAMPLE_SECONDS (/proc/PID and GET /metrics).
#
# Env: DURATION (s, 1800), CONCURRENCY (16), SAMPLE_SECONDS (10), OK_PORT, BAD_PORT, SY_PORT,
#      SKIP_BUILD=1, OUT (markdown; default bench/results/soak-YYYYMMDD.md; the CSV goes next to it),
#      REQUIRE_FLAT=1 (exit 1 unless memory is flat and threads/sockets/descriptors do not grow).
# Every process the script starts is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-1800}"
CONCURRENCY="${CONCURRENCY:-16}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-10}"
OK_PORT="${OK_PORT:-19710}"
BAD_PORT="${BAD_PORT:-19711}"
SY_PORT="${SY_PORT:-19720}"
TODAY="$(date +%Y%m%d)"
OUT="${OUT:-$ROOT/bench/results/soak-$TODAY.md}"
CSV="${OUT%.md}.csv"

WORK="$(mktemp -d /tmp/switchyard-soak.XXXXXX)"
TAG=soak
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

require_free_ports "$OK_PORT" "$BAD_PORT" "$SY_PORT"

# ---------------------------------------------------------------- build
build_release
SY_DLL="$ROOT/artifacts/bin/Switchyard/release/switchyard.dll"
CHAOS_DLL="$ROOT/artifacts/bin/Switchyard.Chaos/release/switchyard-chaos.dll"
[[ -f "$SY_DLL" && -f "$CHAOS_DLL" ]] || { log "build output missing ($SY_DLL, $CHAOS_DLL)"; exit 1; }

# ---------------------------------------------------------------- upstreams
dotnet "$CHAOS_DLL" upstream --port "$OK_PORT" --latency-ms 2 --fail-rate 0 >"$WORK/healthy.log" 2>&1 &
OK_PID=$!; PIDS+=("$OK_PID")
dotnet "$CHAOS_DLL" upstream --port "$BAD_PORT" --latency-ms 2 --fail-rate 0.3 --fault status:500 --seed 7 >"$WORK/faulty.log" 2>&1 &
BAD_PID=$!; PIDS+=("$BAD_PID")
wait_http "http://127.0.0.1:$OK_PORT/" || { log "healthy upstream did not start"; cat "$WORK/healthy.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$BAD_PORT/" || { log "faulty upstream did not start"; cat "$WORK/faulty.log" >&2; exit 1; }
log "upstreams: healthy pid $OK_PID on :$OK_PORT, faulty pid $BAD_PID on :$BAD_PORT"

# ---------------------------------------------------------------- gateway
cat >"$WORK/switchyard.yaml" <<YAML
model_groups:
  soak-plain:
    deployments:
      - name: healthy
        provider: openai
        base_url: "http://127.0.0.1:$OK_PORT/v1"
        model: chaos-model
        api_key: sk-test
      - name: faulty
        provider: openai
        base_url: "http://127.0.0.1:$BAD_PORT/v1"
        model: chaos-model
        api_key: sk-test
  soak-sandbox:
    deployments:
      - name: sandbox
        provider: sandbox
        sandbox:
          inter_token_delay: 2ms
          cut_stream_rate: 0.05
  soak-broken:
    deployments:
      - name: broken
        provider: sandbox
        sandbox:
          error_rate: 1.0
YAML
SWITCHYARD_ADMIN_KEY="soak-admin-key-0123456789abcdef0123456" dotnet "$SY_DLL" serve --config "$WORK/switchyard.yaml" \
  --data "$WORK/data" --urls "http://127.0.0.1:$SY_PORT" >"$WORK/switchyard.log" 2>&1 &
SY_PID=$!; PIDS+=("$SY_PID")
wait_http "http://127.0.0.1:$SY_PORT/health/ready" 300 || { log "switchyard did not become ready"; cat "$WORK/switchyard.log" >&2; exit 1; }
log "switchyard pid $SY_PID on 127.0.0.1:$SY_PORT (config $WORK/switchyard.yaml, store $WORK/data)"

# ---------------------------------------------------------------- soak
mkdir -p "$(dirname "$OUT")"
log "soak: ${DURATION}s at concurrency $CONCURRENCY, a sample every ${SAMPLE_SECONDS}s (~$(( DURATION / 60 + 1 )) min)"
flat=()
[[ "${REQUIRE_FLAT:-0}" == "1" ]] && flat=(--require-flat)
set +e
dotnet "$CHAOS_DLL" soak --url "http://127.0.0.1:$SY_PORT" --pid "$SY_PID" --duration "$DURATION" \
  --concurrency "$CONCURRENCY" --sample-seconds "$SAMPLE_SECONDS" --out "$OUT" --csv "$CSV" "${flat[@]}"
rc=$?
set -e

{
  echo
  echo "## Setup"
  echo
  echo "- \`DURATION=$DURATION CONCURRENCY=$CONCURRENCY SAMPLE_SECONDS=$SAMPLE_SECONDS bash bench/soak.sh\`; Switchyard commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)'), recording on (embedded SQLite)"
  echo "- Upstreams: bench/Switchyard.Chaos \`upstream\`, healthy (2 ms, no faults) and faulty (2 ms, 30 % HTTP 500); samples in \`$(basename "$CSV")\`"
  echo "- Upstream counters at the end: healthy $(curl -fsS -m 2 "http://127.0.0.1:$OK_PORT/stats" || echo '?'), faulty $(curl -fsS -m 2 "http://127.0.0.1:$BAD_PORT/stats" || echo '?')"
  echo
  echo "Gateway configuration:"
  echo
  echo '```yaml'
  cat "$WORK/switchyard.yaml"
  echo '```'
} >>"$OUT"

log "wrote $OUT and $CSV"
exit "$rc"
