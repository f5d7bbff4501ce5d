#!/usr/bin/env bash
# Chaos test: the gateway in front of a healthy and a faulty upstream, one fault at a time.
#
#   bash bench/chaos.sh                          every fault in FAULTS, 2,000 calls each
#   FAULTS="reset" CALLS=500 bash bench/chaos.sh one short run
#
# Two bench/Switchyard.Chaos upstreams on 127.0.0.1 back one model group `chaos-model`: `healthy`
# (1 ms, never fails) and `faulty` (1 ms, each call fails with probability FAIL_RATE in the way FAULT
# says). For each fault the faulty upstream is restarted with it and `switchyard-chaos drive` sends
# CALLS calls at CONCURRENCY through the gateway, requiring a success rate of at least REQUIRE_SUCCESS
# and a p99 of at most REQUIRE_P99_MS (after WARMUP calls that are not counted).
#
# Env: FAULTS ("status:500 status:503 reset status:429"; also status:N, hang, slow-first-byte:MS, cut:N,
#      none), CALLS (2000), CONCURRENCY (16), WARMUP (200), STREAM_RATIO (0), FAIL_RATE (0.3),
#      RETRY_AFTER_MS (1000, for status:429), REQUIRE_SUCCESS (0.999), REQUIRE_P99_MS (50),
#      UPSTREAM_TIMEOUT (deployment timeout, e.g. 2s for FAULTS=hang; default: the gateway's),
#      OK_PORT, BAD_PORT, SY_PORT, SKIP_BUILD=1, OUT (markdown; default bench/results/chaos-YYYYMMDD.md).
# Every process the script starts is stopped on exit. Exit 1 when a requirement is missed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FAULTS="${FAULTS:-status:500 status:503 reset status:429}"
CALLS="${CALLS:-2000}"
CONCURRENCY="${CONCURRENCY:-16}"
WARMUP="${WARMUP:-200}"
STREAM_RATIO="${STREAM_RATIO:-0}"
FAIL_RATE="${FAIL_RATE:-0.3}"
RETRY_AFTER_MS="${RETRY_AFTER_MS:-1000}"
REQUIRE_SUCCESS="${REQUIRE_SUCCESS:-0.999}"
REQUIRE_P99_MS="${REQUIRE_P99_MS:-50}"
UPSTREAM_TIMEOUT="${UPSTREAM_TIMEOUT:-}"
OK_PORT="${OK_PORT:-19610}"
BAD_PORT="${BAD_PORT:-19611}"
SY_PORT="${SY_PORT:-19620}"
MODEL=chaos-model
TODAY="$(date +%Y%m%d)"
OUT="${OUT:-$ROOT/bench/results/chaos-$TODAY.md}"

WORK="$(mktemp -d /tmp/switchyard-chaos.XXXXXX)"
TAG=chaos
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

require_free_ports "$OK_PORT" "$BAD_PORT" "$SY_PORT"

# ---------------------------------------------------------------- build
build_release
SY_DLL="$ROOT/artifacts/bin/Switchyard/release/switchyard.dll"
CHAOS_DLL="$ROOT/artifacts/bin/Switchyard.Chaos/release/switchyard-chaos.dll"
[[ -f "$SY_DLL" && -f "$CHAOS_DLL" ]] || { log "build output missing ($SY_DLL, $CHAOS_DLL)"; exit 1; }

start_upstream() { # name port fail-rate fault -> sets UPSTREAM_PID
  local name="$1" port="$2" rate="$3" fault="$4"
  dotnet "$CHAOS_DLL" upstream --port "$port" --latency-ms 1 --fail-rate "$rate" --fault "$fault" \
    --retry-after-ms "$RETRY_AFTER_MS" --seed 42 >>"$WORK/$name.log" 2>&1 &
  UPSTREAM_PID=$!; PIDS+=("$UPSTREAM_PID")
  wait_http "http://127.0.0.1:$port/" || { log "$name upstream did not start"; cat "$WORK/$name.log" >&2; exit 1; }
}

# ---------------------------------------------------------------- upstreams and gateway
start_upstream healthy "$OK_PORT" 0 status:500
OK_PID=$UPSTREAM_PID
first_fault="${FAULTS%% *}"
[[ "$first_fault" == none ]] && start_upstream faulty "$BAD_PORT" 0 status:500 || start_upstream faulty "$BAD_PORT" "$FAIL_RATE" "$first_fault"
BAD_PID=$UPSTREAM_PID
log "upstreams: healthy pid $OK_PID on :$OK_PORT, faulty pid $BAD_PID on :$BAD_PORT"

timeout_line=""
[[ -n "$UPSTREAM_TIMEOUT" ]] && timeout_line="        timeout: $UPSTREAM_TIMEOUT"
cat >"$WORK/switchyard.yaml" <<YAML
model_groups:
  $MODEL:
    deployments:
      - name: healthy
        provider: openai
        base_url: "http://127.0.0.1:$OK_PORT/v1"
        model: $MODEL
        api_key: sk-test
$timeout_line
      - name: faulty
        provider: openai
        base_url: "http://127.0.0.1:$BAD_PORT/v1"
        model: $MODEL
        api_key: sk-test
$timeout_line
YAML
SWITCHYARD_ADMIN_KEY="chaos-admin-key-0123456789abcdef012345" dotnet "$SY_DLL" serve --config "$WORK/switchyard.yaml" \
  --data "$WORK/data" --urls "http://127.0.0.1:$SY_PORT" >"$WORK/switchyard.log" 2>&1 &
SY_PID=$!; PIDS+=("$SY_PID")
wait_http "http://127.0.0.1:$SY_PORT/health/ready" 300 || { log "switchyard did not become ready"; cat "$WORK/switchyard.log" >&2; exit 1; }
log "switchyard pid $SY_PID on 127.0.0.1:$SY_PORT (config $WORK/switchyard.yaml)"

# ---------------------------------------------------------------- runs
ROWS="$WORK/rows.md"
DETAILS="$WORK/details.md"
: >"$ROWS"; : >"$DETAILS"
failed_any=0
n=0
for fault in $FAULTS; do
  n=$((n + 1))
  if [[ $n -gt 1 ]]; then
    stop_pid "$BAD_PID"
    if [[ "$fault" == none ]]; then start_upstream faulty "$BAD_PORT" 0 status:500; else start_upstream faulty "$BAD_PORT" "$FAIL_RATE" "$fault"; fi
    BAD_PID=$UPSTREAM_PID
  fi
  rate=$([[ "$fault" == none ]] && echo 0 || echo "$FAIL_RATE")
  log "fault $fault (fail-rate $rate): $CALLS calls, concurrency $CONCURRENCY, $WARMUP warm-up calls"
  ok_before="$(curl -fsS -m 2 "http://127.0.0.1:$OK_PORT/stats" | sed -E 's/.*"calls":([0-9]+).*/\1/')"
  set +e
  line="$(dotnet "$CHAOS_DLL" drive --url "http://127.0.0.1:$SY_PORT" --calls "$CALLS" --concurrency "$CONCURRENCY" \
    --model "$MODEL" --stream-ratio "$STREAM_RATIO" --warmup "$WARMUP" --label "$fault" --out "$WORK/drive-$n.json" \
    --require-success "$REQUIRE_SUCCESS" --require-p99-ms "$REQUIRE_P99_MS" 2>"$WORK/drive-$n.err" | grep '^RESULT')"
  rc=$?
  set -e
  cat "$WORK/drive-$n.err" >&2
  [[ -n "$line" ]] || { log "drive produced no result (exit $rc)"; failed_any=1; continue; }
  [[ $rc -eq 0 ]] || failed_any=1
  # shellcheck disable=SC2046
  eval $(sed 's/^RESULT //' <<<"$line")   # label total succeeded failed success_rate rps p50_ms p90_ms p99_ms max_ms failures attempts deployments pass
  bad_stats="$(curl -fsS -m 2 "http://127.0.0.1:$BAD_PORT/stats" || echo '{}')"
  bad_calls="$(sed -nE 's/.*"calls":([0-9]+).*/\1/p' <<<"$bad_stats")"
  bad_faults="$(sed -nE 's/.*"faults":([0-9]+).*/\1/p' <<<"$bad_stats")"
  ok_after="$(curl -fsS -m 2 "http://127.0.0.1:$OK_PORT/stats" | sed -E 's/.*"calls":([0-9]+).*/\1/')"
  pct="$(awk -v r="$success_rate" 'BEGIN{ printf "%.2f %%", r * 100 }')"
  verdict=$([[ "$pass" == 1 ]] && echo met || echo "**missed**")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s | %s | %s |\n' \
    "$fault" "$total" "$succeeded" "$pct" "$p50_ms" "$p90_ms" "$p99_ms" "$max_ms" "$rps" \
    "${failures//,/, }" "${attempts//,/, }" "${deployments//,/, }" "${bad_faults:-?}" "${bad_calls:-?}" "$((ok_after - ok_before))" "$verdict" >>"$ROWS"
  { echo "### $fault"; echo; echo '```'; cat "$WORK/drive-$n.err"; echo '```'; echo; } >>"$DETAILS"
done

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$OUT")"
{
  echo "# Switchyard chaos test — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); .NET SDK $(dotnet --version)"
  echo "- Switchyard commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)'), recording on (embedded SQLite)"
  echo "- Model group \`$MODEL\`: deployments \`healthy\` (chaos upstream, 1 ms, no faults) and \`faulty\` (chaos upstream, 1 ms, each call fails with probability $FAIL_RATE as the fault says; 429s carry Retry-After ${RETRY_AFTER_MS} ms), equal weights"
  echo "- Per fault: the faulty upstream restarted with it, $WARMUP warm-up calls (not counted), then $CALLS calls at concurrency $CONCURRENCY, stream ratio $STREAM_RATIO (\`switchyard-chaos drive\`)"
  echo "- Requirements: success rate ≥ $REQUIRE_SUCCESS and p99 ≤ $REQUIRE_P99_MS ms"
  echo "- Command: \`FAULTS=\"$FAULTS\" CALLS=$CALLS CONCURRENCY=$CONCURRENCY WARMUP=$WARMUP bash bench/chaos.sh\`"
  echo
  echo "| fault | calls | succeeded | success | p50 ms | p90 ms | p99 ms | max ms | calls/s | failures | x-switchyard-attempts | x-switchyard-deployment | faulty upstream faults/calls | healthy upstream calls | requirements |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---|"
  cat "$ROWS"
  echo
  echo "Latency is per call as the client measured it, to the end of the body (streams: the end of the stream), over all calls. Upstream counts include the warm-up calls."
  echo
  echo "<details><summary>drive output per fault</summary>"
  echo
  cat "$DETAILS"
  echo "</details>"
} >"$OUT"

cat "$OUT"
log "wrote $OUT"
if [[ $failed_any -ne 0 ]]; then
  log "a requirement was missed"
  exit 1
fi
