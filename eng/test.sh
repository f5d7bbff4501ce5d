#!/usr/bin/env bash
# The whole test suite, from a clean clone: restore, build, run every test project, and end with a
# plain "N passed, N failed" line. .ci/run calls this script; so does the README.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (Debian) for the dashboard's browser tests..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q chromium >/dev/null 2>&1 \
    || { $sudo_cmd apt-get update -q >/dev/null 2>&1 && $sudo_cmd apt-get install -y -q chromium >/dev/null 2>&1; } \
    || echo "Could not install chromium: the browser tests will fail."
fi

if ! dotnet build Switchyard.slnx -c Release 2>&1 | tee -a "$log" | grep -E "error|Warn|Elapsed" | grep -v "^\s*0 "; then :; fi
if ! grep -q "Build succeeded" "$log"; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test --solution Switchyard.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without reporting a failed test (crash, no tests found)
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
