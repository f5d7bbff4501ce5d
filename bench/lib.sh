# Shared by the bench scripts (source it after setting WORK and TAG): process bookkeeping, port and
# readiness checks. Every process a script appends to PIDS is stopped on exit, then WORK is removed.
PIDS=()

stop_pid() {
  local pid="$1"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && stop_pid "$pid"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$TAG] $*" >&2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_http() { # url, tries(0.1 s)
  for _ in $(seq 1 "${2:-100}"); do
    curl -fsS -m 1 -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

require_free_ports() { # port... ; names the env variables to set in the message
  local p
  for p in "$@"; do
    port_free "$p" || { log "port $p is already in use on 127.0.0.1; set the *_PORT variables"; exit 1; }
  done
}

build_release() { # unless SKIP_BUILD=1
  if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    log "building Release (Switchyard.slnx)"
    dotnet build Switchyard.slnx -c Release -nologo -v q >&2
  fi
}
