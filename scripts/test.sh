#!/usr/bin/env bash
# Builds Meshscope (debug, warnings as errors) and runs the whole test suite, headless.
# Usage: scripts/test.sh [extra ctest arguments, e.g. -R tst_meshd or -L unit]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
# GUI tests render with Qt's offscreen platform: no display needed.
export QT_QPA_PLATFORM=offscreen
ctest --preset debug -j "$(nproc)" "$@"
