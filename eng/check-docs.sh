#!/usr/bin/env bash
# Runs the fenced examples of README.md and docs/*.md against a fresh `switchyard serve`, so a
# documented command that no longer works fails CI instead of a reader's first hour.
#
# Usage: bash eng/check-docs.sh [FILE.md...]        (default: README.md docs/*.md; build first)
#        CHECK_DOCS_KEEP=1 keeps the temporary directory: each block, the generated session scripts
#        and every output, to see what ran.
#
# Rules (CONTRIBUTING.md repeats them):
# - One server for the whole run: `switchyard serve` with no config file, a temporary data
#   directory, SWITCHYARD_ADMIN_KEY set to a known value, on http://127.0.0.1:4000 when that port is
#   free (otherwise on a free port: `127.0.0.1:4000` in the examples is rewritten to it,
#   SWITCHYARD_URL is exported and `switchyard` calls get `--url`). It is stopped on exit. Provider
#   keys are removed from its environment, so it serves the sandbox only.
# - ```bash blocks run in order, in one bash session per markdown file (so `export` and
#   `KEY=$(...)` carry over to the next block), with `switchyard` (the built binary) first on PATH
#   and a temporary working directory. Each block stops at its first failing command, as under
#   `set -e` (pipefail too), and the failure names the markdown file and line. `curl` fails on an
#   HTTP error status (it runs as `curl -sS --fail-with-body`). Not run, and listed: lines that
#   start a server (`switchyard serve`, `dotnet run ... -- serve`: the script's server is already
#   up) and lines with a `...` placeholder outside a comment (`export SWITCHYARD_ADMIN_KEY=...`,
#   `key_...`), which a reader fills in. A file's session may take 10 minutes at most.
# - ```yaml blocks are whole configurations: each starts `switchyard serve --config FILE` on a
#   free port with a dummy value for every `env:NAME` it references (a URL for names ending in
#   _URL) and passes when the server listens. `<!-- check-docs: same-as PATH -->` before the fence
#   says the block is the file PATH (after its leading comment lines): the block must equal it,
#   and PATH itself is started, so relative paths in it resolve as shipped.
# - ```python blocks are compiled only (`python3 -m py_compile`; no SDK here): "syntax only".
#   ```json blocks are parsed only (`python3 -m json.tool`). Both are skipped without python3.
# - ```csharp blocks run as .NET file-based apps (`dotnet run file.cs`, outside the repository so
#   its build props do not apply), with `#:package OpenAI@<version in Directory.Packages.props>`
#   added when the block uses OpenAI types.
# - Blocks without a language (output, diagrams, synopses) are text: listed, not counted.
# - A block that cannot run here is marked on the line before its fence, with the reason:
#   `<!-- check-docs: skip (needs OPENAI_API_KEY) -->`; `<!-- check-docs: fragment (reason) -->`
#   marks a YAML block that is not a whole configuration. Both count as skipped.
# The last line is "N passed, N failed, N skipped"; the exit code is 1 when anything failed.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# CHECK_DOCS_BIN: a directory holding the `switchyard` to use (eng/test.sh passes the installed .NET
# tool, so the examples run what a reader installs); default: the Release build.
bin_dir="${CHECK_DOCS_BIN:-$repo/artifacts/bin/Switchyard/release}"
admin_key="sy-admin-check-docs-0123456789abcdef0123456789"

# ---- one block of a kind other than bash, run by the session scripts: --one KIND WHERE FILE [ARG]
if [ "${1:-}" = "--one" ]; then
  kind="$2" where="$3" block="$4" arg="${5:-}"
  out="$block.out"
  report() { # status note
    printf '%-28s %-7s %s\n' "$where" "$kind" "$1${2:+ ($2)}"
    echo "$1 $where" >>"$CHECK_DOCS_TALLY"
    if [ "$1" = "FAILED" ] && [ -s "$out" ]; then tail -n 25 "$out" | sed 's/^/    | /'; fi
  }
  serve_config() { # config file: passes when serve listens
    local config="$1" name value data="$block.data" pid
    local -a env_args=()
    for name in $(grep -oE 'env:[A-Za-z_][A-Za-z0-9_]*' "$config" | cut -c5- | sort -u); do
      case "$name" in
        *_URL) value="https://hooks.example.com/check-docs" ;;
        *) value="check-docs-dummy-value-0123456789abcdef" ;;
      esac
      env_args+=("$name=$value")
    done
    # Only the file and the dummies: no provider keys, and no SWITCHYARD_* override from a session.
    local -a unset_args=(-u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u AZURE_OPENAI_API_KEY)
    for name in $(compgen -e | grep -i '^SWITCHYARD_'); do unset_args+=(-u "$name"); done
    env "${unset_args[@]}" "${env_args[@]}" \
      "$bin_dir/switchyard" serve --config "$config" --urls http://127.0.0.1:0 --data "$data" >"$out" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
      if grep -q "listening on" "$out"; then
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null; wait "$pid"
    echo "serve exited with $? before listening" >>"$out"
    return 1
  }
  case "$kind" in
    yaml)
      if [ -n "$arg" ]; then
        # The file's leading comment lines (and the blank line after them) are not in the docs.
        if ! diff <(awk 'head && /^#/ { next } head && /^$/ { head = 0; next } { head = 0; print }' head=1 "$repo/$arg") "$block" >"$out" 2>&1; then
          report FAILED "differs from $arg (< file, > block)"
        elif serve_config "$repo/$arg"; then
          report ok "same as $arg, which starts"
        else
          report FAILED "$arg does not start"
        fi
      elif cp "$block" "$block.yaml" && serve_config "$block.yaml"; then
        report ok "starts serve"
      else
        report FAILED "serve --config refused it"
      fi ;;
    python | json)
      if ! command -v python3 >/dev/null; then report skipped "no python3 to check its syntax"; exit 0; fi ;;
  esac
  case "$kind" in
    python)
      cp "$block" "$block.py"
      if python3 -m py_compile "$block.py" >"$out" 2>&1; then report ok "syntax only"; else report FAILED "syntax"; fi ;;
    json)
      if python3 -m json.tool "$block" >"$out" 2>&1; then report ok "syntax only"; else report FAILED "syntax"; fi ;;
    csharp)
      app="$block.app"
      mkdir -p "$app"
      version=$(sed -nE 's/.*Include="OpenAI" Version="([^"]+)".*/\1/p' "$repo/Directory.Packages.props")
      { grep -q 'OpenAI\.' "$block" && echo "#:package OpenAI@$version"
        sed "s#127\.0\.0\.1:4000#$CHECK_DOCS_HOST#g" "$block"; } >"$app/example.cs"
      if (cd "$app" && timeout 300 dotnet run example.cs) >"$out" 2>&1; then report ok "ran as a file-based app"; else report FAILED "dotnet run"; fi ;;
  esac
  exit 0
fi

# ---- the run
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ ! -x "$bin_dir/switchyard" ]; then
  echo "No $bin_dir/switchyard: build first (dotnet build Switchyard.slnx -c Release)."
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
cd "$repo"
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(README.md docs/*.md)
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "${CHECK_DOCS_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$SECONDS

# The examples say 127.0.0.1:4000: use it when nothing listens there, else (or when another run
# took it in the meantime) any free port.
start_server() { # listen URL; sets server_pid and url
  env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL -u AZURE_OPENAI_API_KEY -u AZURE_OPENAI_ENDPOINT \
    SWITCHYARD_ADMIN_KEY="$admin_key" "$bin_dir/switchyard" serve --urls "$1" --data "$work/data" >"$work/server.log" 2>&1 &
  server_pid=$!
  url=""
  for _ in $(seq 1 600); do
    url=$(grep -oE 'listening on http://[^ ]+' "$work/server.log" | head -1 | cut -d' ' -f3)
    [ -n "$url" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  wait "$server_pid" 2>/dev/null
  server_pid=""
  return 1
}
if (exec 3<>/dev/tcp/127.0.0.1/4000) 2>/dev/null || ! start_server http://127.0.0.1:4000; then
  start_server http://127.0.0.1:0
fi
if [ -z "$url" ]; then
  echo "switchyard serve did not start:"; sed 's/^/    | /' "$work/server.log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
host="${url#http://}"
echo "check-docs: switchyard serve on $url (no config, data in $work/data); examples run with switchyard from $bin_dir"

export CHECK_DOCS_TALLY="$work/tally" CHECK_DOCS_HOST="$host"
# An alias, not a function: the ERR trap's `return` must leave the block, not a wrapper.
cat >"$work/preamble.sh" <<'EOF'
set -o pipefail
shopt -s expand_aliases
alias curl='curl -sS --fail-with-body'
__report() { printf '%-28s %-7s %s\n' "$1" bash "$2"; echo "$3 $1" >>"$CHECK_DOCS_TALLY"; }
EOF
if [ "$host" != "127.0.0.1:4000" ]; then
  # Not on the CLI's default address: tell every CLI call where the server is (SWITCHYARD_URL is
  # exported too, but an explicit --url works whatever the CLI's version).
  echo 'switchyard() { command switchyard "$@" --url "$SWITCHYARD_URL"; }' >>"$work/preamble.sh"
fi
: >"$CHECK_DOCS_TALLY"
self="$repo/eng/check-docs.sh"

for md in "${files[@]}"; do
  [ -f "$repo/$md" ] || { echo "$md: no such file"; echo "FAILED $md" >>"$CHECK_DOCS_TALLY"; continue; }
  dir="$work/blocks/${md//\//_}"
  mkdir -p "$dir"
  # Split the file into blocks: DIR/LINE (the body) and a manifest "LINE<TAB>LANG<TAB>DIRECTIVE".
  awk -v dir="$dir" '
    /^```/ {
      if (!inside) {
        inside = 1; start = NR; lang = substr($0, 4); gsub(/[[:space:]]/, "", lang)
        directive = (prev ~ /^<!-- check-docs:/) ? prev : ""
        sub(/^<!-- check-docs:[[:space:]]*/, "", directive); sub(/[[:space:]]*-->[[:space:]]*$/, "", directive)
        body = dir "/" start; printf "" > body
        next
      }
      inside = 0; close(body); prev = ""
      printf "%s\t%s\t%s\n", start, lang, directive >> (dir "/manifest")
      next
    }
    inside { print >> body; next }
    NF { prev = $0 }
  ' "$repo/$md"
  [ -f "$dir/manifest" ] || continue

  # One generated bash script per markdown file, line for line: S[n] is what markdown line n
  # becomes (empty outside bash blocks), so $LINENO in the ERR trap is the failing command's line.
  # What the session needs first comes from BASH_ENV, so it takes no line.
  total=$(wc -l <"$repo/$md")
  S=()
  for ((i = 1; i <= total; i++)); do S[i]=""; done
  skipped_lines="$dir/skipped-lines"
  : >"$skipped_lines"
  while IFS=$'\t' read -r line lang directive; do
    body="$dir/$line"
    where="$md:$line"
    n_lines=$(wc -l <"$body")
    if [[ "$directive" == skip* || "$directive" == fragment* ]]; then
      reason="${directive#skip}"; reason="${reason#fragment}"; reason="${reason# }"; reason="${reason#(}"; reason="${reason%)}"
      [[ "$directive" == fragment* ]] && reason="a fragment${reason:+: $reason}"
      printf -v call 'printf "%%-28s %%-7s %%s\\n" %q %q %q; echo "skipped %s" >>"$CHECK_DOCS_TALLY"' "$where" "${lang:-text}" "skipped: $reason" "$where"
    elif [ -z "$lang" ]; then
      printf -v call 'printf "%%-28s %%-7s %%s\\n" %q text "not checked (output or synopsis)"' "$where"
    elif [ "$lang" = "bash" ] || [ "$lang" = "sh" ]; then
      # Commands are a line and its backslash continuations; server starts and placeholders become ':'.
      awk -v first="$line" -v skipped="$skipped_lines" -v where="$md" -v host="$host" '
        function flush(   i, reason, code) {
          if (n == 0) return
          code = cmd; gsub(/(^|[[:space:]])#[^\n]*/, "", code)
          reason = ""
          if (code ~ /(switchyard|--)[[:space:]]+serve([[:space:]]|$)/) reason = "starts a server (the script'"'"'s is already up)"
          else if (code ~ /\.\.\./) reason = "placeholder (...) for the reader to fill in"
          for (i = 1; i <= n; i++) {
            if (reason != "") print ":"
            else { l = lines[i]; gsub(/127\.0\.0\.1:4000/, host, l); print l }
          }
          if (reason != "") printf "%s:%d  %s: %s\n", where, start, reason, lines[1] >> skipped
          n = 0; cmd = ""
        }
        { if (n == 0) start = first + NR; lines[++n] = $0; cmd = cmd $0 "\n"; if ($0 !~ /\\$/) flush() }
        END { flush() }
      ' "$body" >"$body.sh"
      if grep -qvE '^[[:space:]]*(:|#.*)?$' "$body.sh"; then
        # The function spans the block's own lines; the call goes on the closing fence's line.
        S[line]="__b$line() { trap '__e=\$?; echo; echo \"FAILED at $md:\$LINENO (exit \$__e)\"; trap - ERR; return 1' ERR"
        i=$line
        while IFS= read -r code; do S[++i]="$code"; done <"$body.sh"
        printf -v call '}; __b%s >%q 2>&1; __rc=$?; trap - ERR; if [ $__rc -eq 0 ]; then __report %q ok ok; else __report %q "FAILED: $(grep -o -m1 "FAILED at [^ ]* (exit [0-9]*)" %q | cut -c11-)" FAILED; tail -n 25 %q | sed "s/^/    | /"; fi' \
          "$line" "$body.out" "$where" "$where" "$body.out" "$body.out"
        S[line + n_lines + 1]="$call"
        continue
      fi
      printf -v call 'printf "%%-28s %%-7s %%s\\n" %q bash "skipped: every line starts a server or has a placeholder"; echo "skipped %s" >>"$CHECK_DOCS_TALLY"' "$where" "$where"
    else
      arg=""
      [[ "$directive" == same-as* ]] && arg="${directive#same-as }"
      case "$lang" in
        yaml | python | json | csharp) printf -v call 'bash %q --one %q %q %q %q' "$self" "$lang" "$where" "$body" "$arg" ;;
        *) printf -v call 'printf "%%-28s %%-7s %%s\\n" %q %q "not checked (no rule for %s)"' "$where" "$lang" "$lang" ;;
      esac
    fi
    # Other blocks: one command on the opening fence's line (after line 1's preamble, if there).
    S[line]+="${S[line]:+; }$call"
  done <"$dir/manifest"
  session="$dir/session.sh"
  printf '%s\n' "${S[@]}" "exit 0" >"$session"

  mkdir -p "$work/cwd"
  (cd "$work/cwd" && PATH="$bin_dir:$PATH" SWITCHYARD_ADMIN_KEY="$admin_key" SWITCHYARD_URL="$url" \
    BASH_ENV="$work/preamble.sh" timeout 600 bash "$session") || echo "FAILED $md (its session ended with $?)" | tee -a "$CHECK_DOCS_TALLY"
  if [ -s "$skipped_lines" ]; then
    sed 's/^/    not run: /' "$skipped_lines"
  fi
done

passed=$(grep -c '^ok ' "$CHECK_DOCS_TALLY")
failed=$(grep -c '^FAILED ' "$CHECK_DOCS_TALLY")
skipped=$(grep -c '^skipped ' "$CHECK_DOCS_TALLY")
echo "check-docs: $((SECONDS - started)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
