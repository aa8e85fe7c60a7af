#!/usr/bin/env bash
# Opaque TCP benchmark, one run on loopback, same machine, same load generator (redis-benchmark):
#   direct    redis-benchmark -> redis-server
#   haproxy   redis-benchmark -> haproxy (mode tcp) -> mTLS (TLS 1.3, client certificates)
#             -> haproxy (mode tcp) -> redis-server
#   meshd     redis-benchmark -> meshd upstream port -> mTLS (ALPN meshscope.tcp/1, identities
#             checked) -> meshd inbound -> redis-server        (a `protocol: tcp` service)
# Both proxied paths do the same two-hop job with the same number of threads (meshd --workers 2,
# one haproxy thread per side). Prints operations/s and the bulk transfer rate per path, the
# ratios meshd/haproxy, the cost of a new connection, and meshd's memory.
# Measures only: it never fails on numbers. Usage: bench/tcp_bench.sh [requests]
# MESHD=<a meshd> measures that build instead of this tree's release meshd.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/data_plane_peers.sh

REQUESTS=${1:-200000}
REDIS_PORT=18390
HAP_FRONT=18391
HAP_BACK=18392
MESHD_UP=18393
ports_free $REDIS_PORT $HAP_FRONT $HAP_BACK $MESHD_UP
install_peers redis-server redis-tools
release_meshd
bench_scratch tcp-bench

redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    > "$W/redis.log" 2>&1 &
pids+=($!)

HAP_MODE=tcp start_haproxy_pair "$MESHD" $HAP_FRONT $HAP_BACK $REDIS_PORT

cat >"$W/mesh.yaml" <<CONF
mesh: {name: tcp-bench}
services:
  - name: cache
    namespace: bench
    protocol: tcp
    versions: [{name: v1, replicas: [{port: $REDIS_PORT}]}]
upstreams: [{service: cache.bench, port: $MESHD_UP}]
CONF
"$MESHD" up --config "$W/mesh.yaml" --state-dir "$W/state" --admin 127.0.0.1:0 \
    --outbound 127.0.0.1:0 --workers 2 >"$W/meshd.log" 2>&1 &
MESHD_PID=$!
pids+=($MESHD_PID)
wait_ready "$W/meshd.log"
for port in $REDIS_PORT $HAP_FRONT $MESHD_UP; do
    for _ in $(seq 50); do redis-cli -p $port PING >/dev/null 2>&1 && break; sleep 0.1; done
done

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
MESHD_IDLE=$(rss_kib $MESHD_PID)

# Operations/s of one redis-benchmark run (its "requests per second" for the one test asked).
ops() { # port test connections pipeline [value bytes]
    redis-benchmark -p "$1" -t "$2" -c "$3" -P "$4" -d "${5:-3}" -n "$REQUESTS" -q --csv 2>/dev/null \
        | awk -F'","' 'NR > 1 || !/^"test"/ { gsub(/"/, "", $2); print $2; exit }'
}

declare -A OPS BULK SETUP
paths=(direct haproxy meshd)
port_of() { case $1 in direct) echo $REDIS_PORT ;; haproxy) echo $HAP_FRONT ;; meshd) echo $MESHD_UP ;; esac; }

echo "TCP benchmark: redis-benchmark -n $REQUESTS, redis-server $(redis-server --version | awk '{print $3}') (2 cores, loopback)"
for path in "${paths[@]}"; do # warm-up, unmeasured
    redis-benchmark -p "$(port_of "$path")" -t get -c 8 -n 20000 -q >/dev/null 2>&1
done
( sleep 2; rss_kib $MESHD_PID > "$W/rss-load" ) & SAMPLER=$!
for path in "${paths[@]}"; do
    OPS[$path]=$(ops "$(port_of "$path")" get 32 1)
done
wait $SAMPLER
MESHD_LOAD=$(cat "$W/rss-load")
for path in "${paths[@]}"; do
    OPS[$path-pipe]=$(ops "$(port_of "$path")" get 32 16)
done
for path in "${paths[@]}"; do # 64 KiB values: bytes, not round trips
    BULK[$path]=$(REQUESTS=$((REQUESTS / 10)) ops "$(port_of "$path")" set 8 1 65536)
done
for path in "${paths[@]}"; do # a new connection per command: the handshake's cost
    start=$(date +%s%N)
    for _ in $(seq 300); do redis-cli -p "$(port_of "$path")" PING >/dev/null; done
    SETUP[$path]=$((($(date +%s%N) - start) / 300000))
done

printf '\n%-8s %16s %20s %18s %18s\n' path "GET ops/s (c32)" "GET ops/s (c32 P16)" "SET 64 KiB MB/s" "connect+PING us"
for path in "${paths[@]}"; do
    mbps=$(awk -v o="${BULK[$path]}" 'BEGIN { printf "%.0f", o * 65536 / 1e6 }')
    printf '%-8s %16s %20s %18s %18s\n' "$path" "${OPS[$path]}" "${OPS[$path-pipe]}" "$mbps" "${SETUP[$path]}"
done
awk -v m="${OPS[meshd]}" -v h="${OPS[haproxy]}" -v mp="${OPS[meshd-pipe]}" -v hp="${OPS[haproxy-pipe]}" \
    -v mb="${BULK[meshd]}" -v hb="${BULK[haproxy]}" \
    'BEGIN { printf "\nmeshd / haproxy pair: %.2f (GET), %.2f (GET pipelined), %.2f (64 KiB SET bytes/s)\n", m / h, mp / hp, mb / hb }'
printf 'meshd RSS: idle %s KiB, under load %s KiB\n' "$MESHD_IDLE" "$MESHD_LOAD"
