#!/usr/bin/env bash
# Installs everything Meshscope needs to build, test and run, from Debian 12 packages only.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config
    # the format check before every build and clang-tidy on changed files (both version 14)
    clang-format clang-tidy
    # meshcore
    libssl-dev libcurl4-openssl-dev libyaml-cpp-dev libboost-dev nlohmann-json3-dev libexpected-dev
    # desktop app
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-qpa-plugins libqt6opengl6-dev
    libgl-dev fonts-dejavu-core
    # integration tests: the openssl CLI checks our certificates, promtool our metrics; curl,
    # Python's http.server and nginx are the outside clients and backends of the data-plane tests
    openssl prometheus curl python3 nginx-light
    # protocols: HTTP/2 framing (libnghttp2), and the outside clients and servers of the h2, gRPC
    # and TCP tests (curl speaks h2c, h2load from nghttp2-client, Python's grpcio, redis); Node.js
    # for a client that ignores http_proxy (its built-in fetch)
    libnghttp2-dev nghttp2-client python3-grpcio redis-server redis-tools nodejs
    # running the GUI without a display (tests, screenshots)
    xvfb xauth
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
