#!/usr/bin/env bash
# Installs what is missing, builds Meshscope (release) and opens the desktop app. With no meshd
# running it starts the bundled one on the embedded demo mesh, and stops it when you quit.
# Usage: scripts/run.sh [meshscope options, e.g. --connect 127.0.0.1:4191]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "run.sh: no display found; run it inside a desktop session, or under Xvfb:" >&2
    echo "        xvfb-run -a scripts/run.sh" >&2
    exit 1
fi
exec build/release/bin/meshscope "$@"
