#!/usr/bin/env bash
# Gateway load test: direct-to-upstream vs Switchyard vs the Portkey peer, all on 127.0.0.1.
#
#   bash bench/load.sh                 full run (ROUNDS=3, DURATION=10 s, WARMUP=3 s per cell)
#   QUICK=1 bash bench/load.sh         1-round smoke run with short cells
#
# Env: ROUNDS, DURATION (s), WARMUP (s), CONNS ("1 32 128"), TARGETS ("direct switchyard portkey";
#      add "limits" for a second Switchyard where every call carries a virtual key with team, user and
#      key limits and a hard budget; "routed" for a Switchyard balancing three deployments by
#      RT_STRATEGY with retries, breakers and timeouts on; "cached" for a Switchyard with the exact
#      cache on, where every measured call is a hit; "semantic" for one with the semantic cache on, where
#      every measured call is a paraphrase served as a semantic hit; "default" for `switchyard serve` with
#      no config file, as a new user runs it (exact and semantic caches on, the upstream found through
#      OPENAI_BASE_URL), sent a unique last user turn on every call; "noguards" for the same with its
#      default guardrails off, SWITCHYARD_GUARDRAILS__ENABLED=false), MODES ("plain stream"), UP_PORT,
#      SY_PORT, SL_PORT, PK_PORT, CA_PORT, SM_PORT, DF_PORT,
#      SHARED (default: ../shared next to the repo),
#      UP_DELAY_MS (the upstream waits this long before answering; default 0, to see what the gateway
#      adds next to a model that takes real time),
#      SKIP_BUILD=1, OUT (markdown path; default bench/results/load-YYYYMMDD.md).
# Every process the script starts is stopped on exit. All load loops are bounded by wrk -d.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ "${QUICK:-0}" == "1" ]]; then
  ROUNDS="${ROUNDS:-1}"; DURATION="${DURATION:-3}"; WARMUP="${WARMUP:-1}"
fi
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
CONNS="${CONNS:-1 32 128}"
TARGETS="${TARGETS:-direct switchyard portkey}"
MODES="${MODES:-plain stream}"
UP_PORT="${UP_PORT:-19100}"
SY_PORT="${SY_PORT:-19200}"
PK_PORT="${PK_PORT:-19787}"
SL_PORT="${SL_PORT:-19300}"
RT_PORT="${RT_PORT:-19400}"
RT_STRATEGY="${RT_STRATEGY:-lowest_latency}"
CA_PORT="${CA_PORT:-19500}"
NG_PORT="${NG_PORT:-19800}"
SM_PORT="${SM_PORT:-19600}"
DF_PORT="${DF_PORT:-19700}"
SHARED="${SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
CPU_CONNS=32
MODEL=bench-model
TODAY="$(date +%Y%m%d)"
OUT="${OUT:-$ROOT/bench/results/load-$TODAY.md}"
LUA="$ROOT/bench/post.lua"

WORK="$(mktemp -d /tmp/switchyard-load.XXXXXX)"
TAG=load
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for p in "$UP_PORT" "$SY_PORT"; do
  port_free "$p" || { log "port $p is already in use on 127.0.0.1; set UP_PORT/SY_PORT"; exit 1; }
done

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk missing: installing it with apt"
  if ! apt-get install -y wrk >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null
  fi
fi
command -v wrk >/dev/null || { log "wrk is not available"; exit 1; }

# ---------------------------------------------------------------- build
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  log "building Release (switchyard, upstream)"
  dotnet build -c Release -nologo -v q src/Switchyard/Switchyard.csproj >&2
  dotnet build -c Release -nologo -v q bench/Switchyard.Upstream/Switchyard.Upstream.csproj >&2
fi
SY_BIN="$ROOT/artifacts/bin/Switchyard/release/switchyard"
UP_BIN="$ROOT/artifacts/bin/Switchyard.Upstream/release/switchyard-upstream"
[[ -x "$SY_BIN" && -x "$UP_BIN" ]] || { log "build output missing ($SY_BIN, $UP_BIN)"; exit 1; }

# ---------------------------------------------------------------- upstream
UP_DELAY_MS="${UP_DELAY_MS:-0}"
"$UP_BIN" --port "$UP_PORT" --delay-ms "$UP_DELAY_MS" >"$WORK/upstream.log" 2>&1 &
UP_PID=$!; PIDS+=("$UP_PID")
wait_http "http://127.0.0.1:$UP_PORT/v1/models" || { log "upstream did not start"; cat "$WORK/upstream.log" >&2; exit 1; }
log "upstream pid $UP_PID on 127.0.0.1:$UP_PORT"

# ---------------------------------------------------------------- switchyard (recording on, embedded SQLite)
cat >"$WORK/switchyard.yaml" <<YAML
recording:
  enabled: true
model_groups:
  $MODEL:
    deployments:
      - provider: openai
        model: $MODEL
        base_url: "http://127.0.0.1:$UP_PORT/v1"
        api_key: bench-key
YAML
SWITCHYARD_ADMIN_KEY="bench-admin-key-0123456789abcdef012345" "$SY_BIN" serve --config "$WORK/switchyard.yaml" \
  --urls "http://127.0.0.1:$SY_PORT" --data "$WORK/data" >"$WORK/switchyard.log" 2>&1 &
SY_PID=$!; PIDS+=("$SY_PID")
wait_http "http://127.0.0.1:$SY_PORT/v1/models" || { log "switchyard did not start"; cat "$WORK/switchyard.log" >&2; exit 1; }
log "switchyard pid $SY_PID on 127.0.0.1:$SY_PORT (recording on, store $WORK/data)"

# start_variant <name> <port>: another Switchyard on $WORK/<name>.yaml, its own data and log; its pid in
# VARIANT_PID (also in PIDS, so it is stopped on exit).
start_variant() {
  local name="$1" port="$2"
  port_free "$port" || { log "port $port is already in use on 127.0.0.1; set the target's *_PORT"; exit 1; }
  SWITCHYARD_ADMIN_KEY="bench-admin-key-0123456789abcdef012345" "$SY_BIN" serve --config "$WORK/$name.yaml" \
    --urls "http://127.0.0.1:$port" --data "$WORK/data-$name" >"$WORK/$name.log" 2>&1 &
  VARIANT_PID=$!; PIDS+=("$VARIANT_PID")
  wait_http "http://127.0.0.1:$port/v1/models" || { log "switchyard ($name) did not start"; cat "$WORK/$name.log" >&2; exit 1; }
}

# ---------------------------------------------------------------- switchyard with limits (optional)
# Same configuration plus a price for the bench model (so a hard budget can be reserved against);
# every call presents a key owned by a user in a team, each with RPM, TPM and concurrency limits far
# above the load, and the key has a hard budget: all five checks run and reserve on every call.
SL_PID=""
SL_KEY="bench"
if [[ " $TARGETS " == *" limits "* ]]; then
  { cat "$WORK/switchyard.yaml"; printf 'limits:\n  fallback_price:\n    input_per_million: 1\n    output_per_million: 2\n'; } >"$WORK/limits.yaml"
  start_variant limits "$SL_PORT"
  SL_PID="$VARIANT_PID"
  api() { curl -fsS -m 5 -X POST "http://127.0.0.1:$SL_PORT$1" -H "Authorization: Bearer bench-admin-key-0123456789abcdef012345" -H 'Content-Type: application/json' -d "$2"; }
  big='"limits":{"rpm":100000000,"tpm":100000000000,"max_concurrent":100000}'
  api /api/teams "{\"id\":\"bench-team\",$big,\"budget\":{\"max_usd\":1000000,\"window\":\"monthly\"}}" >/dev/null
  api /api/users "{\"id\":\"bench-user\",\"team\":\"bench-team\",$big}" >/dev/null
  SL_KEY="$(api /api/keys "{\"name\":\"bench\",\"user\":\"bench-user\",$big,\"budget\":{\"max_usd\":1000000,\"window\":\"daily\",\"mode\":\"hard\"}}" | sed -E 's/.*"key":"([^"]+)".*/\1/')"
  [[ "$SL_KEY" == sy-* ]] || { log "could not create the bench key"; exit 1; }
  log "switchyard with limits pid $SL_PID on 127.0.0.1:$SL_PORT (key, user and team limits, hard budget)"
fi

# ---------------------------------------------------------------- switchyard routing across three deployments (optional)
# The same upstream behind three deployments of one group, balanced by RT_STRATEGY, with retries, the
# retry budget, breakers and timeouts all on (the defaults): the full routing path on every call.
RT_PID=""
if [[ " $TARGETS " == *" routed "* ]]; then
  cat >"$WORK/routed.yaml" <<YAML
recording:
  enabled: true
routing:
  strategy: $RT_STRATEGY
  max_retries: 2
model_groups:
  $MODEL:
    deployments:
      - { name: d1, provider: openai, model: $MODEL, base_url: "http://127.0.0.1:$UP_PORT/v1", api_key: bench-key, first_token_timeout: 30s, idle_timeout: 60s }
      - { name: d2, provider: openai, model: $MODEL, base_url: "http://127.0.0.1:$UP_PORT/v1", api_key: bench-key, first_token_timeout: 30s, idle_timeout: 60s }
      - { name: d3, provider: openai, model: $MODEL, base_url: "http://127.0.0.1:$UP_PORT/v1", api_key: bench-key, first_token_timeout: 30s, idle_timeout: 60s }
YAML
  start_variant routed "$RT_PORT"
  RT_PID="$VARIANT_PID"
  log "switchyard routed pid $RT_PID on 127.0.0.1:$RT_PORT (3 deployments, $RT_STRATEGY, retries on)"
fi

# ---------------------------------------------------------------- switchyard with the exact cache (optional)
# wrk sends one body over and over, so after the warm-up every measured call is a cache hit: this
# measures what a hit costs, against going to the upstream directly.
CA_PID=""
if [[ " $TARGETS " == *" cached "* ]]; then
  { cat "$WORK/switchyard.yaml"; printf 'cache:\n  exact: true\n'; } >"$WORK/cached.yaml"
  start_variant cached "$CA_PORT"
  CA_PID="$VARIANT_PID"
  log "switchyard cached pid $CA_PID on 127.0.0.1:$CA_PORT (exact cache on: every measured call a hit)"
fi

# ---------------------------------------------------------------- switchyard with the semantic cache (optional)
# Seeded with one question; wrk then sends a paraphrase of it, which the exact cache never holds (a
# semantic hit is not stored under the new key), so every measured call embeds the paraphrase, searches
# the index, runs the vetoes and replays the answer.
SM_PID=""
SEED_PROMPT="Say hello to the benchmark."
PARAPHRASE="Please say hello to the benchmark."
if [[ " $TARGETS " == *" semantic "* ]]; then
  { cat "$WORK/switchyard.yaml"; printf 'cache:\n  exact: true\n  semantic: true\n'; } >"$WORK/semantic.yaml"
  start_variant semantic "$SM_PORT"
  SM_PID="$VARIANT_PID"
  seed='{"model":"'"$MODEL"'","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"'"$SEED_PROMPT"'"}],"max_tokens":16}'
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$seed" "http://127.0.0.1:$SM_PORT/v1/chat/completions"
  probe="${seed/$SEED_PROMPT/$PARAPHRASE}"
  outcome=""
  for _ in $(seq 50); do
    outcome="$(curl -fsS -o /dev/null -D - -H 'Content-Type: application/json' -d "$probe" "http://127.0.0.1:$SM_PORT/v1/chat/completions" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-switchyard-cache"{print $2}')"
    [[ "$outcome" == semantic ]] && break
    sleep 0.1
  done
  [[ "$outcome" == semantic ]] || { log "switchyard (semantic): the paraphrase is not a semantic hit ($outcome)"; exit 1; }
  log "switchyard semantic pid $SM_PID on 127.0.0.1:$SM_PORT (every measured call a semantic hit)"
fi

# ---------------------------------------------------------------- switchyard as a new user runs it (optional)
# No config file: the sandbox plus every provider in the environment, here the mock upstream as an
# OpenAI-compatible server, with the default exact and semantic caches and recording. wrk makes every
# last user turn unique (UNIQUE=1 in post.lua), so every call is a cache miss that pays whatever a
# miss costs in the default configuration; compare it with "switchyard" (caches off) in the same run.
DF_PID=""
if [[ " $TARGETS " == *" default "* ]]; then
  port_free "$DF_PORT" || { log "port $DF_PORT is already in use on 127.0.0.1; set DF_PORT"; exit 1; }
  OPENAI_API_KEY=bench-key OPENAI_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
    "$SY_BIN" serve --urls "http://127.0.0.1:$DF_PORT" --data "$WORK/data-default" >"$WORK/default.log" 2>&1 &
  DF_PID=$!; PIDS+=("$DF_PID")
  wait_http "http://127.0.0.1:$DF_PORT/v1/models" || { log "switchyard (default) did not start"; cat "$WORK/default.log" >&2; exit 1; }
  curl -fsS "http://127.0.0.1:$DF_PORT/v1/models" | grep -q "\"$MODEL\"" || { log "switchyard (default) did not discover $MODEL"; cat "$WORK/default.log" >&2; exit 1; }
  log "switchyard default pid $DF_PID on 127.0.0.1:$DF_PORT (no config file: exact + semantic caches on; unique prompts)"
fi

# The same default with its guardrails (injection and PII, flag only) off: what the default guards cost.
NG_PID=""
if [[ " $TARGETS " == *" noguards "* ]]; then
  port_free "$NG_PORT" || { log "port $NG_PORT is already in use on 127.0.0.1; set NG_PORT"; exit 1; }
  SWITCHYARD_GUARDRAILS__ENABLED=false OPENAI_API_KEY=bench-key OPENAI_BASE_URL="http://127.0.0.1:$UP_PORT/v1" \
    "$SY_BIN" serve --urls "http://127.0.0.1:$NG_PORT" --data "$WORK/data-noguards" >"$WORK/noguards.log" 2>&1 &
  NG_PID=$!; PIDS+=("$NG_PID")
  wait_http "http://127.0.0.1:$NG_PORT/v1/models" || { log "switchyard (noguards) did not start"; cat "$WORK/noguards.log" >&2; exit 1; }
  log "switchyard noguards pid $NG_PID on 127.0.0.1:$NG_PORT (no config file, guardrails off)"
fi

# ---------------------------------------------------------------- portkey peer (optional)
PK_PID=""
PK_STATUS="not requested"
PK_HEADERS=(-H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$UP_PORT/v1")
if [[ " $TARGETS " == *" portkey "* ]]; then
  STARTER="$SHARED/bench/peers/start-portkey.sh"
  if [[ ! -f "$STARTER" ]]; then
    PK_STATUS="skipped: $STARTER not found (set SHARED)"
  elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    PK_STATUS="skipped: node/npm not available"
  elif ! port_free "$PK_PORT"; then
    PK_STATUS="skipped: port $PK_PORT in use (set PK_PORT)"
  else
    if PK_OUT="$(PORTKEY_PORT="$PK_PORT" timeout 600 bash "$STARTER" --bg 2>"$WORK/portkey-start.err")"; then
      PK_PID="$(echo "$PK_OUT" | tail -n1)"
      PIDS+=("$PK_PID")
      if curl -fsS -m 5 -o /dev/null -X POST "http://127.0.0.1:$PK_PORT/v1/chat/completions" "${PK_HEADERS[@]}" \
           -H 'Content-Type: application/json' -d "{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"; then
        PK_STATUS="running (pid $PK_PID)"
      else
        PK_STATUS="skipped: portkey started but a proxied request failed"
      fi
    else
      PK_STATUS="skipped: start-portkey.sh failed ($(tail -n1 "$WORK/portkey-start.err" 2>/dev/null))"
    fi
  fi
  log "portkey: $PK_STATUS"
fi

# ---------------------------------------------------------------- runs
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of the process

RAW="$WORK/raw.tsv"
: >"$RAW"

target_url() {
  case "$1" in
    direct) echo "http://127.0.0.1:$UP_PORT/v1/chat/completions" ;;
    switchyard) echo "http://127.0.0.1:$SY_PORT/v1/chat/completions" ;;
    limits) echo "http://127.0.0.1:$SL_PORT/v1/chat/completions" ;;
    routed) echo "http://127.0.0.1:$RT_PORT/v1/chat/completions" ;;
    cached) echo "http://127.0.0.1:$CA_PORT/v1/chat/completions" ;;
    semantic) echo "http://127.0.0.1:$SM_PORT/v1/chat/completions" ;;
    default) echo "http://127.0.0.1:$DF_PORT/v1/chat/completions" ;;
    noguards) echo "http://127.0.0.1:$NG_PORT/v1/chat/completions" ;;
    portkey) echo "http://127.0.0.1:$PK_PORT/v1/chat/completions" ;;
  esac
}
target_pid() {
  case "$1" in direct) echo "$UP_PID" ;; switchyard) echo "$SY_PID" ;; limits) echo "$SL_PID" ;; routed) echo "$RT_PID" ;; cached) echo "$CA_PID" ;; semantic) echo "$SM_PID" ;; default) echo "$DF_PID" ;; noguards) echo "$NG_PID" ;; portkey) echo "$PK_PID" ;; esac
}

run_wrk() { # target mode conns duration -> RESULT line
  local target="$1" mode="$2" conns="$3" dur="$4" extra=()
  [[ "$target" == portkey ]] && extra=("${PK_HEADERS[@]}")
  local auth="bench"
  [[ "$target" == limits ]] && auth="$SL_KEY"
  local prompt="$SEED_PROMPT"
  [[ "$target" == semantic ]] && prompt="$PARAPHRASE"
  local unique=0
  [[ "$target" == default || "$target" == noguards ]] && unique=1
  UNIQUE="$unique" STREAM=$([[ "$mode" == stream ]] && echo 1 || echo 0) MODEL="$MODEL" AUTH="$auth" PROMPT="$prompt" \
    wrk -t1 -c"$conns" -d"${dur}s" --timeout 10s -s "$LUA" "${extra[@]}" "$(target_url "$target")" | grep '^RESULT'
}

ACTIVE_TARGETS=()
for t in $TARGETS; do
  if [[ "$t" == portkey && -z "$PK_PID" ]]; then continue; fi
  if [[ "$t" == portkey && "$PK_STATUS" != running* ]]; then continue; fi
  ACTIVE_TARGETS+=("$t")
done

cells=$(( ${#ACTIVE_TARGETS[@]} * $(wc -w <<<"$MODES") * $(wc -w <<<"$CONNS") ))
log "matrix: ${ACTIVE_TARGETS[*]} x {$MODES} x {$CONNS} conns, $ROUNDS round(s), ${WARMUP}s warm-up + ${DURATION}s each (~$(( cells * ROUNDS * (WARMUP + DURATION) / 60 + 1 )) min)"

for round in $(seq 1 "$ROUNDS"); do
  for target in "${ACTIVE_TARGETS[@]}"; do
    pid="$(target_pid "$target")"
    for mode in $MODES; do
      for conns in $CONNS; do
        run_wrk "$target" "$mode" "$conns" "$WARMUP" >/dev/null || true
        t0="$(cpu_ticks "$pid")"
        line="$(run_wrk "$target" "$mode" "$conns" "$DURATION" || true)"
        t1="$(cpu_ticks "$pid")"
        if [[ -z "$line" ]]; then log "round $round $target $mode c=$conns: wrk produced no result"; continue; fi
        # shellcheck disable=SC2046
        eval $(sed 's/^RESULT //' <<<"$line")    # requests= duration_s= rps= p50_us= p99_us= errors= non2xx=
        cpu_ms=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" 'BEGIN{printf "%.1f", d * 1000 / hz}')
        cpu_per_k=$(awk -v c="$cpu_ms" -v r="$requests" 'BEGIN{ if (r > 0) printf "%.2f", c / (r / 1000); else print "nan" }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$mode" "$conns" "$rps" "$p50_us" "$p99_us" \
          "$errors" "$non2xx" "$cpu_per_k" "$requests" >>"$RAW"
        log "round $round $target $mode c=$conns: $rps req/s p50 ${p50_us}us p99 ${p99_us}us errors $errors non-2xx $non2xx cpu ${cpu_per_k} ms/1k"
      done
    done
  done
done

# ---------------------------------------------------------------- report
# median <target> <mode> <conns> <column>  (columns: 5 rps, 6 p50_us, 7 p99_us, 8 errors, 9 non2xx, 10 cpu/1k)
median() {
  awk -F'\t' -v t="$1" -v m="$2" -v c="$3" -v col="$4" '$2 == t && $3 == m && $4 == c { print $col }' "$RAW" \
    | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print ""; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
sum_col() {
  awk -F'\t' -v t="$1" -v m="$2" -v c="$3" -v col="$4" '$2 == t && $3 == m && $4 == c { s += $col } END { print s + 0 }' "$RAW"
}
ms() { [[ -z "$1" ]] && { echo "–"; return; }; awk -v u="$1" 'BEGIN{ printf "%.3f", u / 1000 }'; }
fmt0() { [[ -z "$1" ]] && { echo "–"; return; }; awk -v v="$1" 'BEGIN{ printf "%.0f", v }'; }

mkdir -p "$(dirname "$OUT")"
{
  echo "# Switchyard load test — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "- .NET SDK $(dotnet --version), wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}'), node $(node --version 2>/dev/null || echo n/a)"
  echo "- Switchyard commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), recording on (embedded SQLite), no caches; upstream: bench/Switchyard.Upstream (fixed answers, $( [[ "$UP_DELAY_MS" == 0 ]] && echo 'no delay' || echo "${UP_DELAY_MS} ms before each answer"))"
  echo "- Portkey peer: $PK_STATUS"
  echo "- wrk -t1, $ROUNDS round(s) of ${DURATION}s per cell after a ${WARMUP}s warm-up; figures are medians over rounds"
  echo "- Command: \`ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP bash bench/load.sh\`"
  echo
  echo "## Throughput and latency"
  echo
  echo "Latency is per request as wrk measures it (for streams: until the last byte of the stream). Added p50 = target p50 − direct p50 at the same connection count and mode."
  echo
  echo "| target | mode | conns | req/s | p50 ms | p99 ms | added p50 ms | errors (sum) | CPU ms / 1k req |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  for mode in $MODES; do
    for conns in $CONNS; do
      direct_p50="$(median direct "$mode" "$conns" 6)"
      for target in "${ACTIVE_TARGETS[@]}"; do
        rps="$(median "$target" "$mode" "$conns" 5)"
        [[ -z "$rps" ]] && continue
        p50="$(median "$target" "$mode" "$conns" 6)"
        p99="$(median "$target" "$mode" "$conns" 7)"
        cpu="$(median "$target" "$mode" "$conns" 10)"
        errs=$(( $(sum_col "$target" "$mode" "$conns" 8) + $(sum_col "$target" "$mode" "$conns" 9) ))
        added="–"
        if [[ "$target" != direct && -n "$direct_p50" ]]; then added="$(awk -v a="$p50" -v b="$direct_p50" 'BEGIN{ printf "%+.3f", (a - b) / 1000 }')"; fi
        echo "| $target | $mode | $conns | $(fmt0 "$rps") | $(ms "$p50") | $(ms "$p99") | $added | $errs | $cpu |"
      done
    done
  done
  echo
  echo "CPU is utime+stime of the server process (/proc/PID/stat) over the measured run, divided by requests/1000 (for 'direct' that is the upstream itself)."
  echo
  if [[ " ${ACTIVE_TARGETS[*]} " == *" default "* && " ${ACTIVE_TARGETS[*]} " == *" switchyard "* ]]; then
    echo "## The default configuration (no config file, unique prompts) against caching off"
    echo
    echo "Issue 16's goals: throughput at least half of caching off, p99 within 10 ms of it, under any load."
    echo
    echo "| mode | conns | default req/s | caching off req/s | ratio | default p99 ms | caching off p99 ms | p99 difference ms | default CPU ms/1k | caching off CPU ms/1k |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for mode in $MODES; do
      for conns in $CONNS; do
        dr="$(median default "$mode" "$conns" 5)"; sr="$(median switchyard "$mode" "$conns" 5)"
        [[ -z "$dr" || -z "$sr" ]] && continue
        dp="$(median default "$mode" "$conns" 7)"; sp="$(median switchyard "$mode" "$conns" 7)"
        echo "| $mode | $conns | $(fmt0 "$dr") | $(fmt0 "$sr") | $(awk -v a="$dr" -v b="$sr" 'BEGIN{ printf "%.2f", a / b }') | $(ms "$dp") | $(ms "$sp") | $(awk -v a="$dp" -v b="$sp" 'BEGIN{ printf "%+.3f", (a - b) / 1000 }') | $(median default "$mode" "$conns" 10) | $(median switchyard "$mode" "$conns" 10) |"
      done
    done
    echo
  fi
  if [[ " ${ACTIVE_TARGETS[*]} " == *" default "* && " ${ACTIVE_TARGETS[*]} " == *" noguards "* ]]; then
    echo "## The default guardrails (injection and PII, flag only): default against noguards"
    echo
    echo "| mode | conns | default req/s | noguards req/s | ratio | default p50 ms | noguards p50 ms | p50 difference ms | default CPU ms/1k | noguards CPU ms/1k |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for mode in $MODES; do
      for conns in $CONNS; do
        dr="$(median default "$mode" "$conns" 5)"; nr="$(median noguards "$mode" "$conns" 5)"
        [[ -z "$dr" || -z "$nr" ]] && continue
        dp="$(median default "$mode" "$conns" 6)"; np="$(median noguards "$mode" "$conns" 6)"
        echo "| $mode | $conns | $(fmt0 "$dr") | $(fmt0 "$nr") | $(awk -v a="$dr" -v b="$nr" 'BEGIN{ printf "%.2f", a / b }') | $(ms "$dp") | $(ms "$np") | $(awk -v a="$dp" -v b="$np" 'BEGIN{ printf "%+.3f", (a - b) / 1000 }') | $(median default "$mode" "$conns" 10) | $(median noguards "$mode" "$conns" 10) |"
      done
    done
    echo
  fi
  echo "## Targets (issue 16; 2 cores, recording on, caches off, medians; streams: added p50 ≈ time to first byte)"
  echo
  echo "| target | measured | goal | result |"
  echo "|---|---:|---:|---|"
  d1="$(median direct plain 1 6)"; s1="$(median switchyard plain 1 6)"
  if [[ -n "$d1" && -n "$s1" ]]; then
    a1="$(awk -v a="$s1" -v b="$d1" 'BEGIN{ printf "%.3f", (a - b) / 1000 }')"
    echo "| added p50 latency, 1 connection, non-streaming | $a1 ms | ≤ 0.050 ms | $(awk -v a="$a1" 'BEGIN{ print (a <= 0.05) ? "met" : "**missed**" }') |"
  fi
  d1s="$(median direct stream 1 6)"; s1s="$(median switchyard stream 1 6)"
  if [[ -n "$d1s" && -n "$s1s" ]]; then
    a1s="$(awk -v a="$s1s" -v b="$d1s" 'BEGIN{ printf "%.3f", (a - b) / 1000 }')"
    echo "| added p50 latency, 1 connection, streaming | $a1s ms | ≤ 0.200 ms | $(awk -v a="$a1s" 'BEGIN{ print (a <= 0.2) ? "met" : "**missed**" }') |"
  fi
  scpu="$(median switchyard plain "$CPU_CONNS" 10)"
  if [[ -n "$scpu" ]]; then
    echo "| switchyard server CPU per 1,000 requests, $CPU_CONNS conns, non-streaming | $scpu ms | ≤ 50 ms | $(awk -v a="$scpu" 'BEGIN{ print (a <= 50) ? "met" : "**missed**" }') |"
  fi
  srps="$(median switchyard plain "$CPU_CONNS" 5)"; prps="$(median portkey plain "$CPU_CONNS" 5)"
  if [[ -n "$srps" && -n "$prps" ]]; then
    ratio="$(awk -v a="$srps" -v b="$prps" 'BEGIN{ printf "%.2f", a / b }')"
    echo "| throughput vs Portkey, $CPU_CONNS conns, non-streaming | ${ratio}× ($(fmt0 "$srps") vs $(fmt0 "$prps") req/s) | ≥ 20× | $(awk -v a="$ratio" 'BEGIN{ print (a >= 20) ? "met" : "**missed**" }') |"
    pcpu="$(median portkey plain "$CPU_CONNS" 10)"
    echo "| (reference) portkey server CPU per 1,000 requests, $CPU_CONNS conns | $pcpu ms | – | – |"
  else
    echo "| throughput vs Portkey, $CPU_CONNS conns, non-streaming | not measured (portkey $PK_STATUS) | ≥ 20× | n/a |"
  fi
  l1="$(median limits plain 1 6)"; l1s="$(median limits stream 1 6)"; lcpu="$(median limits plain "$CPU_CONNS" 10)"
  if [[ -n "$l1" && -n "$d1" ]]; then
    al="$(awk -v a="$l1" -v b="$d1" 'BEGIN{ printf "%.3f", (a - b) / 1000 }')"
    echo "| with key + team/user/key limits + hard budget: added p50, 1 connection, non-streaming | $al ms | ≤ 0.050 ms | $(awk -v a="$al" 'BEGIN{ print (a <= 0.05) ? "met" : "**missed**" }') |"
  fi
  if [[ -n "$l1s" && -n "$d1s" ]]; then
    als="$(awk -v a="$l1s" -v b="$d1s" 'BEGIN{ printf "%.3f", (a - b) / 1000 }')"
    echo "| with key + limits + budget: added p50, 1 connection, streaming | $als ms | ≤ 0.200 ms | $(awk -v a="$als" 'BEGIN{ print (a <= 0.2) ? "met" : "**missed**" }') |"
  fi
  if [[ -n "$lcpu" ]]; then
    echo "| with key + limits + budget: server CPU per 1,000 requests, $CPU_CONNS conns, non-streaming | $lcpu ms | ≤ 50 ms | $(awk -v a="$lcpu" 'BEGIN{ print (a <= 50) ? "met" : "**missed**" }') |"
    [[ -n "$scpu" ]] && echo "| (ratio) CPU with limits / without, same run | $(awk -v a="$lcpu" -v b="$scpu" 'BEGIN{ printf "%.2f", a / b }')× | – | – |"
  fi
  echo
  if command -v sqlite3 >/dev/null 2>&1 && [[ -f "$WORK/data/switchyard.db" ]]; then
    echo "Calls recorded by Switchyard during the run: $(sqlite3 "$WORK/data/switchyard.db" 'select count(*) from calls' 2>/dev/null || echo '?') (requests answered by switchyard in measured runs: $(awk -F'\t' '$2 == "switchyard" { s += $11 } END { print s + 0 }' "$RAW"), plus warm-ups)."
    echo
  fi
  echo "<details><summary>Raw runs (round, target, mode, conns, req/s, p50 µs, p99 µs, socket errors, non-2xx, CPU ms/1k, requests)</summary>"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
  echo "</details>"
} >"$OUT"

cat "$OUT"
log "wrote $OUT"
