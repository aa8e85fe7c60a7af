#!/usr/bin/env bash
# Builds the release preset and runs the benchmarks. Numbers are for closing notes, not gates.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target bench_ca_signing
build/release/bin/bench_ca_signing "$@"
