#!/usr/bin/env bash
# Observability store benchmarks: OTLP ingestion through the real endpoint, and traces/metrics API
# latency over a store seeded with 1M calls over 30 days. All traffic on 127.0.0.1.
#
#   bash bench/observability.sh                  full: ingest 3 rounds x {protobuf, json} x 20 s; seed 1M; query 50 reps
#   QUICK=1 bash bench/observability.sh          smoke: 1 round x 5 s, 100k rows, 10 reps
#
# Env: ROUNDS, DURATION (s), SENDERS (4), BATCH (spans per export, 500), FORMATS ("protobuf json"),
#      ROWS (1000000), DAYS (30), REPS (50), WARMUP (5), PORT (19437), SKIP_BUILD=1,
#      PARTS ("ingest query"), OUT (markdown; default bench/results/observability-YYYYMMDD.md).
# Every process the script starts is stopped on exit; every load loop is bounded by a duration.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ "${QUICK:-0}" == "1" ]]; then
  ROUNDS="${ROUNDS:-1}"; DURATION="${DURATION:-5}"; ROWS="${ROWS:-100000}"; REPS="${REPS:-10}"
fi
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-20}"
SENDERS="${SENDERS:-4}"
BATCH="${BATCH:-500}"
FORMATS="${FORMATS:-protobuf json}"
ROWS="${ROWS:-1000000}"
DAYS="${DAYS:-30}"
REPS="${REPS:-50}"
WARMUP="${WARMUP:-5}"
PORT="${PORT:-19437}"
PARTS="${PARTS:-ingest query}"
KEY="bench-admin-key-0123456789abcdef012345"
OUT="${OUT:-$ROOT/bench/results/observability-$(date +%Y%m%d).md}"

WORK="$(mktemp -d /tmp/switchyard-obs.XXXXXX)"
SY_PID=""
cleanup() {
  stop_switchyard
  rm -rf "$WORK"
}
stop_switchyard() {
  if [[ -n "$SY_PID" ]] && kill -0 "$SY_PID" 2>/dev/null; then
    kill "$SY_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SY_PID" 2>/dev/null || true
  fi
  SY_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[obs] $*" >&2; }

(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { log "port $PORT is in use; set PORT"; exit 1; }

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  log "building Release (switchyard, switchyard-ingestload)"
  dotnet build -c Release -nologo -v q src/Switchyard/Switchyard.csproj >&2
  dotnet build -c Release -nologo -v q bench/Switchyard.IngestLoad/Switchyard.IngestLoad.csproj >&2
fi
SY="$ROOT/artifacts/bin/Switchyard/release/switchyard.dll"
TOOL="$ROOT/artifacts/bin/Switchyard.IngestLoad/release/switchyard-ingestload.dll"
[[ -f "$SY" && -f "$TOOL" ]] || { log "build output missing ($SY, $TOOL)"; exit 1; }

start_switchyard() { # data-dir
  # Retention is lifted so the seeded 30 days are not purged while we measure.
  SWITCHYARD_ADMIN_KEY="$KEY" SWITCHYARD_TRACING__RETENTION=876000h dotnet "$SY" serve \
    --urls "http://127.0.0.1:$PORT" --data "$1" >>"$WORK/switchyard.log" 2>&1 &
  SY_PID=$!
  for _ in $(seq 1 300); do
    curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && return 0
    kill -0 "$SY_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "switchyard did not start"; cat "$WORK/switchyard.log" >&2; exit 1
}

RAW="$WORK/raw.txt"
: >"$RAW"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET $(dotnet --version)"

# ------------------------------------------------------------------ 1. ingestion
if [[ " $PARTS " == *" ingest "* ]]; then
  for round in $(seq 1 "$ROUNDS"); do
    for format in $FORMATS; do
      # A fresh store per run, so every run starts from the same (empty) file.
      start_switchyard "$WORK/ingest-$round-$format"
      log "round $round $format: load $(cut -d' ' -f1 /proc/loadavg)"
      line="$(timeout $(( DURATION + 200 )) dotnet "$TOOL" ingest --url "http://127.0.0.1:$PORT" --key "$KEY" --format "$format" \
        --senders "$SENDERS" --batch "$BATCH" --duration "$DURATION" --pid "$SY_PID" | grep '^RESULT' || true)"
      echo "$line round=$round load=$(cut -d' ' -f1 /proc/loadavg)" >>"$RAW"
      stop_switchyard
      rm -rf "$WORK/ingest-$round-$format"
    done
  done
fi

# ------------------------------------------------------------------ 2. query latency over a seeded store
if [[ " $PARTS " == *" query "* ]]; then
  DATA="$WORK/seeded"
  start_switchyard "$DATA"; stop_switchyard            # creates and migrates the file
  log "seeding $ROWS calls over $DAYS days"
  dotnet "$TOOL" seed --data "$DATA" --rows "$ROWS" --days "$DAYS" | grep '^RESULT' >>"$RAW"
  dotnet "$TOOL" explain --data "$DATA" >"$WORK/plans.txt"
  start_switchyard "$DATA"
  log "query latency: $WARMUP warm-up + $REPS reps per request (load $(cut -d' ' -f1 /proc/loadavg))"
  timeout 1800 dotnet "$TOOL" query --url "http://127.0.0.1:$PORT" --key "$KEY" --reps "$REPS" --warmup "$WARMUP" | grep '^RESULT' >>"$RAW" || true
  stop_switchyard
fi

# ------------------------------------------------------------------ report
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
  echo "# Observability store: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $machine; load average at start of each run in the raw lines."
  echo
  if grep -q 'mode=ingest' "$RAW"; then
    echo "## Ingestion ($SENDERS senders, $BATCH spans/export, ${DURATION} s, medians of $ROUNDS rounds)"
    echo
    echo "| format | accepted spans/s | written spans/s (during) | written spans/s (incl. drain) | refused (503) spans | lag p50 ms | lag p95 ms | server CPU % of 1 core |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for format in $FORMATS; do
      lines="$(grep "mode=ingest format=$format " "$RAW" || true)"
      [[ -n "$lines" ]] || continue
      m() { while read -r l; do field "$1" "$l"; done <<<"$lines" | median; }
      echo "| $format | $(m accepted_per_s) | $(m written_per_s) | $(m written_overall_per_s) | $(m refused) | $(m lag_p50_ms) | $(m lag_p95_ms) | $(m cpu_pct) |"
    done
    echo
  fi
  if grep -q 'mode=query' "$RAW"; then
    echo "## Query latency ($(field rows "$(grep mode=seed "$RAW")") calls over $DAYS days; client-measured on loopback, $REPS warm reps)"
    echo
    echo "| request | p50 ms | p95 ms | max ms | target | result |"
    echo "|---|---:|---:|---:|---:|---|"
    grep 'mode=query' "$RAW" | while read -r l; do
      name="$(sed -n 's/.*name="\([^"]*\)".*/\1/p' <<<"$l")"
      t="$(field target_ms "$l")"; [[ "$t" == NaN ]] && t="-" || t="< $t"
      echo "| $name | $(field p50_ms "$l") | $(field p95_ms "$l") | $(field max_ms "$l") | $t | $(field verdict "$l") |"
    done
    echo
    echo "Query plans (\`switchyard-ingestload explain\`):"
    echo
    echo '```'
    cat "$WORK/plans.txt"
    echo '```'
    echo
  fi
  echo "## Raw"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} >"$OUT"
log "report: $OUT"
cat "$OUT"
