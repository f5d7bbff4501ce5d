#!/usr/bin/env bash
# Installs the 'switchyard' command for this user as a .NET global tool, from this checkout: packs
# src/Switchyard (Release) into artifacts/package/release and installs that package, replacing an
# installed copy. Needs the .NET 10 SDK. Servers without the SDK: see the single-file publish instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
id=Switchyard.Cli
source_dir="$PWD/artifacts/package/release"

echo "Packing $id (Release)..."
dotnet pack src/Switchyard -c Release --nologo -v quiet

# The package keeps its version from one build to the next, and 'dotnet tool update' to the same
# version keeps the old files: remove the installed copy so this build's files are the ones installed.
if dotnet tool list --global | awk 'NR > 2 { print tolower($1) }' | grep -qx "$(echo "$id" | tr '[:upper:]' '[:lower:]')"; then
  echo "Replacing the installed $id..."
  dotnet tool uninstall --global "$id" >/dev/null
fi

# --ignore-failed-sources: an offline machine's nuget.org must not fail an install that needs only
# the local package (its dependencies are inside it).
dotnet tool install --global "$id" --add-source "$source_dir" --ignore-failed-sources

tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
echo "Installed: $tools/switchyard"
case ":$PATH:" in
  *":$tools:"*) echo "Run: switchyard --help" ;;
  *)
    echo "$tools is not on your PATH. Add it (and to ~/.bashrc or ~/.profile to keep it):"
    echo "  export PATH=\"\$PATH:$tools\""
    ;;
esac
