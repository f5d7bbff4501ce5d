#!/usr/bin/env bash
# Refreshes the vendored Chart.js build the dashboard serves itself (no CDN: the dashboard must work
# on an air-gapped network). Usage: bash eng/vendor-chartjs.sh [VERSION]
set -euo pipefail
VERSION="${1:-4.6.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack "chart.js@$VERSION" --silent >/dev/null && tar xzf "chart.js-$VERSION.tgz")
cp "$TMP/package/dist/chart.umd.min.js" "$ROOT/src/Switchyard.Core/Dashboard/Assets/chart.umd.min.js"
cp "$TMP/package/LICENSE.md" "$ROOT/src/Switchyard.Core/Dashboard/Assets/chart.js.LICENSE.md"
echo "vendored chart.js $VERSION"
