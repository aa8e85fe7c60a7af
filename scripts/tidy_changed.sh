#!/usr/bin/env bash
# Runs clang-tidy (the repo's .clang-tidy, clang-tidy 14) on the C++ sources changed by the
# commits since BASE and fails if it warns. Uncommitted changes count too. Needs a configured build for its
# compile_commands.json (cmake --preset debug); generated sources must exist, so build first.
# Boost 1.74's Asio enables co_await for clang only with <experimental/coroutine> (libc++), so it is
# switched on by hand (clang 14 has C++20 coroutines): else every coroutine file fails to parse.
# Usage: scripts/tidy_changed.sh [BASE]     BASE defaults to HEAD~1 (CI: the merge base)
#   BUILD_DIR=build/debug   where compile_commands.json is
#   JOBS=$(nproc)           files checked at once
#   MAX_FILES=N             check at most the N most recently changed files (0: all), so a run
#                           over many commits stays bounded in time (a file costs 20-90 s of CPU)
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-HEAD~1}
build_dir=${BUILD_DIR:-build/debug}
jobs=${JOBS:-$(nproc)}
max_files=${MAX_FILES:-0}

clang_tidy=${CLANG_TIDY:-}
if [ -z "$clang_tidy" ]; then
    for candidate in clang-tidy-14 clang-tidy; do
        if command -v "$candidate" >/dev/null; then
            clang_tidy=$candidate
            break
        fi
    done
fi
if [ -z "$clang_tidy" ]; then
    echo "tidy_changed: clang-tidy is not installed (Debian: apt-get install clang-tidy)" >&2
    exit 2
fi
if [ ! -f "$build_dir/compile_commands.json" ]; then
    echo "tidy_changed: no $build_dir/compile_commands.json; run 'cmake --preset debug' first" >&2
    exit 2
fi
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "tidy_changed: '$base' is not a revision" >&2
    exit 2
fi

# Headers are checked through the .cpp files that include them (HeaderFilterRegex). Commits that
# only format (subject "format: ...") are left out: they change layout, not code. Newest first:
# uncommitted changes, then the commits from HEAD back (awk keeps each file's first appearance).
dirs=(meshcore models ui app tests bench)
mapfile -t changed < <({
    git diff --name-only --diff-filter=ACMR HEAD -- "${dirs[@]}"
    git log --format= --name-only --diff-filter=ACMR --invert-grep --grep='^format:' "$base..HEAD" -- "${dirs[@]}"
} | grep -E '\.(cc|cpp|cxx)$' | awk '!seen[$0]++' || true)
files=()
for f in "${changed[@]}"; do
    [ -f "$f" ] || continue # changed, then removed
    # Only what the build compiles (a .cpp the build does not know has no flags to check with).
    if grep -qF "\"$PWD/$f\"" "$build_dir/compile_commands.json"; then
        files+=("$f")
    else
        echo "tidy_changed: skipping $f (not in $build_dir/compile_commands.json)" >&2
    fi
done
if [ "$max_files" -gt 0 ] && [ ${#files[@]} -gt "$max_files" ]; then
    echo "tidy_changed: ${#files[@]} files changed since $base; checking the $max_files most recent" >&2
    files=("${files[@]:0:$max_files}")
fi
if [ ${#files[@]} -eq 0 ]; then
    echo "tidy_changed: no C++ source changed since $base"
    exit 0
fi

echo "tidy_changed: ${#files[@]} file(s) changed since $base, $jobs at a time"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\0' "${files[@]}" | xargs -0 -r -P "$jobs" -I{} sh -c '
    start=$(date +%s)
    out=$("$0" -p "$1" --quiet --warnings-as-errors="*" --extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1 "$2" 2>/dev/null); rc=$?
    printf "%s\n" "$out"
    if [ "$rc" -eq 0 ]; then verdict=clean; else verdict="exit $rc"; fi
    echo "tidy_changed: $2: $(( $(date +%s) - start )) s, $verdict" >&2
    exit $rc' "$clang_tidy" "$build_dir" {} >"$log" || status=1
if [ -s "$log" ]; then
    cat "$log"
fi
if [ "$status" -ne 0 ]; then
    echo "tidy_changed: clang-tidy found problems (above)" >&2
    exit 1
fi
echo "tidy_changed: no warnings"
