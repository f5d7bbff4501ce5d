#!/usr/bin/env bash
# Builds 'switchyard' as one self-contained executable per runtime, for servers without .NET:
#   eng/publish.sh                  linux-x64 and linux-arm64
#   eng/publish.sh linux-x64        just that one
# Each lands in artifacts/publish/Switchyard/release_<rid>/switchyard. Copy that one file to the
# server and run './switchyard serve'. ONNX Runtime and SQLite are inside it and are extracted on
# first start to $DOTNET_BUNDLE_EXTRACT_BASE_DIR (default ~/.net), which must be writable.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 linux-arm64)

for rid in "${rids[@]}"; do
  echo "Publishing $rid..."
  dotnet publish src/Switchyard -c Release -r "$rid" --self-contained -p:PublishSingleFile=true --nologo -v quiet
  binary="artifacts/publish/Switchyard/release_$rid/switchyard"
  echo "  $binary ($(du -m "$binary" | cut -f1) MB)"
done
