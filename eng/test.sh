#!/usr/bin/env bash
# The whole test suite, from a clean clone: install what the browser tests need, build, run every
# test (unit, integration against a real Kestrel, end-to-end through the OpenAI SDK, the dashboard
# in a browser), then the documentation's examples (eng/check-docs.sh). It says what it is doing as
# it goes, and its last line is always "N passed, N failed" (docs examples count as tests), which is
# what CI reads. .ci/run calls this script; so does the README.
# Arguments go to the test runner, for a shorter run: bash eng/test.sh --filter-class "*SamplesTests"
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
started=$SECONDS
stage() { echo "[$(date -u +%H:%M:%S) +$((SECONDS - started))s] $*"; }

# The dashboard's browser tests drive Debian's Chromium through Playwright, so Playwright downloads
# no browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  stage "Installing chromium with apt-get (Debian's package): the dashboard's browser tests drive it through Playwright"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if $sudo_cmd apt-get install -y -q chromium >/dev/null 2>&1 \
    || { $sudo_cmd apt-get update -q >/dev/null 2>&1 && $sudo_cmd apt-get install -y -q chromium >/dev/null 2>&1; }; then
    stage "Installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
  else
    echo "Could not install chromium: the browser tests will fail."
  fi
else
  stage "Chromium for the browser tests: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
fi

stage "Restoring and building (Release; warnings are errors)"
if ! dotnet build Switchyard.slnx -c Release 2>&1 | tee -a "$log" | grep -E "error|Warn|Elapsed" | grep -v "^\s*0 "; then :; fi
if ! grep -q "Build succeeded" "$log"; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

# Detailed output gives one line per finished test; the filter below turns them into a running
# count (every 100 tests), and shows each failure with its details as soon as it happens. The full
# output stays in the log for the summary.
stage "Running the tests (unit, integration, end-to-end, browser): a count every 100"
dotnet test --solution Switchyard.slnx -c Release --no-build --output Detailed --no-ansi --progress off "$@" 2>&1 | tee "$log" | awk '
  function now(   t) { "date -u +%H:%M:%S" | getline t; close("date -u +%H:%M:%S"); return t }
  /^(passed|failed|skipped) / {
    done++; details = 0
    if ($1 == "failed") { failed++; details = 1; print "  " $0 }
    if (done % 100 == 0) printf "[%s] %d tests done, %d failed\n", now(), done, failed
    fflush(); next
  }
  /^Test run summary/ { summary = 1 }
  summary || details { print "  " $0; fflush() }
'
status=${PIPESTATUS[0]}

passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without reporting a failed test (crash, no tests found)
fi
stage "Tests: $passed passed, $failed failed, $skipped skipped"

# The examples run the `switchyard` a reader gets from eng/install.sh: the tool package, installed
# into a temporary tool path (not the user's global tools), so packaging is checked too.
stage "Packing the switchyard .NET tool and installing it into a temporary tool path (as eng/install.sh does globally)"
tool_dir="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$tool_dir"' EXIT
docs_bin=""
if dotnet pack src/Switchyard -c Release --no-build --nologo -v quiet >"$log" 2>&1 \
  && dotnet tool install Switchyard.Cli --tool-path "$tool_dir" --add-source "$PWD/artifacts/package/release" --ignore-failed-sources >>"$log" 2>&1; then
  docs_bin="$tool_dir"
  stage "Installed $("$tool_dir/switchyard" --version 2>/dev/null | head -n 1) into $tool_dir"
else
  cat "$log"
  stage "Packing or installing the tool failed: the examples run the Release build instead, and this counts as a failure"
fi
stage "Checking the documentation's examples against a running switchyard (eng/check-docs.sh)"
CHECK_DOCS_BIN="${docs_bin:-$PWD/artifacts/bin/Switchyard/release}" bash eng/check-docs.sh 2>&1 | tee "$log"
docs_status=${PIPESTATUS[0]}
read -r docs_passed docs_failed docs_skipped < <(tail -n 1 "$log" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p')
if [ -z "${docs_passed:-}" ]; then
  docs_passed=0 docs_failed=1 docs_skipped=0 # it ended without its count line
elif [ "$docs_status" -ne 0 ] && [ "$docs_failed" -eq 0 ]; then
  docs_failed=1
fi

[ -z "$docs_bin" ] && docs_failed=$((docs_failed + 1))
stage "Done: tests $passed passed, $failed failed, $skipped skipped; docs examples $docs_passed passed, $docs_failed failed, $docs_skipped skipped"
echo "$((passed + docs_passed)) passed, $((failed + docs_failed)) failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$docs_failed" -eq 0 ]
