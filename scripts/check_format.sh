#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted as .clang-format says (clang-format 14, the
# Debian 12 package). Prints the files that differ and exits 1; exits 0 when all are clean.
# Usage: scripts/check_format.sh [--fix]   (--fix formats them in place instead)
# Only formatting is checked; `git clang-format` formats just the lines a commit changes.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0
case "${1:-}" in
--fix) fix=1 ;;
"") ;;
*)
    echo "usage: scripts/check_format.sh [--fix]" >&2
    exit 2
    ;;
esac

clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
    for candidate in clang-format-14 clang-format; do
        if command -v "$candidate" >/dev/null; then
            clang_format=$candidate
            break
        fi
    done
fi
if [ -z "$clang_format" ]; then
    echo "check_format: clang-format is not installed (Debian: apt-get install clang-format)" >&2
    exit 2
fi
# Another major version formats some constructs differently: say so rather than report noise.
if ! "$clang_format" --version | grep -q 'version 14\.'; then
    echo "check_format: warning: $("$clang_format" --version) is not clang-format 14;" \
        "differences may be the version's, not the code's" >&2
fi

# A .clang-format clang-format cannot read would otherwise pass every file unchecked.
if ! "$clang_format" --style=file --dump-config >/dev/null; then
    echo "check_format: clang-format cannot read .clang-format" >&2
    exit 2
fi

mapfile -d '' files < <(git ls-files -z -- meshcore models ui app tests bench \
    | grep -zE '\.(h|hh|hpp|c|cc|cpp|cxx|inl)$')

if [ "$fix" -eq 1 ]; then
    printf '%s\0' "${files[@]}" | xargs -0 -r -n 32 "$clang_format" -i --style=file
    exit 0
fi

# One clang-format per batch of files, not per file; each violation is reported as
# "FILE:LINE:COL: error: code should be clang-formatted", from which the file names are taken.
mapfile -t unformatted < <(printf '%s\0' "${files[@]}" \
    | xargs -0 -r -n 64 "$clang_format" --style=file --dry-run -Werror 2>&1 >/dev/null \
    | sed -n 's/^\(.*\):[0-9][0-9]*:[0-9][0-9]*: error: code should be clang-formatted.*/\1/p' \
    | sort -u || true)

if [ ${#unformatted[@]} -gt 0 ]; then
    echo "check_format: ${#unformatted[@]} of ${#files[@]} files differ from clang-format's output:" >&2
    printf '  %s\n' "${unformatted[@]}" >&2
    echo "check_format: format your changed lines with 'git clang-format', or all with" \
        "'scripts/check_format.sh --fix'" >&2
    exit 1
fi
echo "check_format: ${#files[@]} files formatted"
