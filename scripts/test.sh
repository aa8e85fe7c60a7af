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
# 20-90 s. Formatting-only commits are not "changes" (scripts/tidy_changed.sh). Its verdict comes
# after the tests', so a lint finding does not hide how the tests went.
tidy_status=0
if [ "${CI:-}" = true ] || [ "${TIDY:-}" = 1 ]; then
    # 20 commits back, or the first commit of a shorter history.
    base=$(git rev-list --max-count=1 --skip=20 HEAD)
    [ -n "$base" ] || base=$(git rev-list --max-parents=0 HEAD | tail -1)
    MAX_FILES=${TIDY_MAX_FILES:-10} bash scripts/tidy_changed.sh "$base" || tidy_status=$?
fi
# GUI tests render with Qt's offscreen platform: no display needed.
export QT_QPA_PLATFORM=offscreen
ctest --preset debug -j "$(nproc)" "$@"
if [ "$tidy_status" -ne 0 ]; then
    echo "test.sh: the tests ran, but clang-tidy failed (its report is above the tests')" >&2
    exit "$tidy_status"
fi
