#!/usr/bin/env bash
# Two builds of bench_topology in one run, in alternating rounds (before, after, before, ...):
# per figure, the median of the rounds of each and the after/before ratio (below 1: faster).
#   bench/topology_compare.sh BEFORE_BINARY AFTER_BINARY [ROUNDS] [bench arguments...]
set -euo pipefail

before=$1 after=$2 rounds=${3:-3}
shift $(($# < 3 ? $# : 3))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen

# "label   12.34 ms ..." -> "label<TAB>12.34", one line per figure the bench prints.
figures() {
    awk 'match($0, / +[0-9]+\.[0-9]+ ms/) {
        value = substr($0, RSTART, RLENGTH); sub(/ ms$/, "", value); gsub(/ /, "", value)
        label = substr($0, 1, RSTART - 1); sub(/^ +/, "", label)
        print label "\t" value
    }'
}

for ((round = 1; round <= rounds; round++)); do
    for side in before after; do
        echo "round $round: $side" >&2
        "${!side}" "$@" | figures >>"$work/$side"
    done
done

# The median of one figure's values in one side's rounds.
median() {
    local values
    values=$(awk -F'\t' -v label="$1" '$1 == label { print $2 }' "$work/$2" | sort -g)
    sed -n "$((($(wc -l <<<"$values") + 1) / 2))p" <<<"$values"
}

printf '\n%-46s %10s %10s %7s   (median of %d rounds, ms)\n' figure before after ratio "$rounds"
cut -f1 "$work/after" | awk '!seen[$0]++' | while IFS= read -r label; do
    b=$(median "$label" before)
    a=$(median "$label" after)
    printf '%-46s %10s %10s %7s\n' "$label" "${b:--}" "${a:--}" \
        "$([[ -n $b && -n $a ]] && awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done
