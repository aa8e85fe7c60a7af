#!/usr/bin/env bash
# Builds Meshscope (debug, warnings as errors) and runs the whole test suite, headless.
# Usage: scripts/test.sh [extra ctest arguments, e.g. -R tst_meshd or -L unit]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# Formatting first: a tree clang-format would change fails in seconds, before a long build.
bash scripts/check_format.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
# clang-tidy on the most recently changed sources (CI, or TIDY=1 by hand): bounded, a file costs
# 20-40 s. Formatting-only commits are not "changes" (scripts/tidy_changed.sh).
if [ "${CI:-}" = true ] || [ "${TIDY:-}" = 1 ]; then
    MAX_FILES=${TIDY_MAX_FILES:-10} bash scripts/tidy_changed.sh "$(git rev-list --max-count=1 --skip=20 HEAD || true)"
fi
# GUI tests render with Qt's offscreen platform: no display needed.
export QT_QPA_PLATFORM=offscreen
ctest --preset debug -j "$(nproc)" "$@"
