#!/usr/bin/env bash
# Data-plane benchmark, one run on loopback, same machine, same load generator (wrk):
#   direct    wrk -> nginx
#   haproxy   wrk -> haproxy (plain) -> mTLS (TLS 1.3, client certificates) -> haproxy -> nginx
#   meshd     wrk -> meshd outbound -> mTLS (TLS 1.3, SPIFFE identities checked) -> meshd inbound -> nginx
#   policy    the same through a service with split, timeouts, retries, faults configured but idle
# Both proxied paths do the same two-hop job with the same number of worker threads (2).
# Prints requests/s and latency percentiles, the ratios meshd/haproxy, and meshd's memory.
# Measures only: it never fails on numbers. Usage: bench/data_plane_bench.sh [seconds] [connections]
# MESHD=<a meshd> measures that build instead of this tree's release meshd.
# With BASELINE_MESHD=/path/to/an/older/meshd, that meshd is measured too, in the same run, on the
# same backend and load (the before/after figure a change to the data plane reports).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-32}

source bench/data_plane_peers.sh
bash scripts/install-deps.sh
install_peers
release_meshd
BASELINE_MESHD=${BASELINE_MESHD:-}

bench_scratch bench

NGINX_PORT=18080 NGINX_PORT2=18082 HAP_FRONT=18081 HAP_BACK=18443 MESHD_ADMIN=18191 MESHD_OUT=18140
BASE_ADMIN=18192 BASE_OUT=18141
ports_free $NGINX_PORT $NGINX_PORT2 $HAP_FRONT $HAP_BACK $MESHD_ADMIN $MESHD_OUT $BASE_ADMIN $BASE_OUT

start_nginx $NGINX_PORT $NGINX_PORT2
start_haproxy_pair "$MESHD" $HAP_FRONT $HAP_BACK $NGINX_PORT
write_mesh_yaml "$W/mesh.yaml" $NGINX_PORT $NGINX_PORT2
"$MESHD" up --config "$W/mesh.yaml" --state-dir "$W/meshd" --admin 127.0.0.1:$MESHD_ADMIN \
    --outbound 127.0.0.1:$MESHD_OUT --workers 2 > "$W/meshd.log" 2>&1 & MESHD_PID=$!; pids+=($MESHD_PID)
wait_ready "$W/meshd.log"
if [ -n "$BASELINE_MESHD" ]; then
    "$BASELINE_MESHD" up --config "$W/mesh.yaml" --state-dir "$W/baseline" --admin 127.0.0.1:$BASE_ADMIN \
        --outbound 127.0.0.1:$BASE_OUT --workers 2 > "$W/baseline.log" 2>&1 & pids+=($!)
    wait_ready "$W/baseline.log"
fi
sleep 0.5

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

declare -A RPS P50 P99
run() { # name url [extra wrk args...]
    local name=$1 url=$2; shift 2
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" "$url")
    RPS[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    P50[$name]=$(awk '$1=="50%" {print $2}' <<<"$out")
    P99[$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
    local errors
    errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
    [ -n "$errors" ] && echo "  ($name: $errors)"
    true
}

MESHD_IDLE=$(rss_kib $MESHD_PID)
# A short unmeasured warm-up of each meshd (handshakes, pools, allocator), so the first measured
# meshd is not the only one measured cold.
wrk -t2 -c"$CONNECTIONS" -d2s -H "Host: backend.bench" "http://127.0.0.1:$MESHD_OUT/" >/dev/null
[ -n "$BASELINE_MESHD" ] && wrk -t2 -c"$CONNECTIONS" -d2s -H "Host: backend.bench" "http://127.0.0.1:$BASE_OUT/" >/dev/null
echo "Data-plane benchmark: wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s, GET / -> nginx \"ok\" (2 cores, loopback)"
run direct "http://127.0.0.1:$NGINX_PORT/"
run haproxy "http://127.0.0.1:$HAP_FRONT/"
( sleep $((SECONDS_PER_RUN / 2)); rss_kib $MESHD_PID > "$W/rss-load" ) & SAMPLER=$!
run meshd "http://127.0.0.1:$MESHD_OUT/" -H "Host: backend.bench"
wait $SAMPLER
MESHD_LOAD=$(cat "$W/rss-load")
paths=(direct haproxy meshd)
if [ -n "$BASELINE_MESHD" ]; then
    # Interleaved, this, baseline, this, baseline: a machine whose load drifts during the run
    # (another build, a test) weighs on both alike.
    run baseline "http://127.0.0.1:$BASE_OUT/" -H "Host: backend.bench"
    run policy "http://127.0.0.1:$MESHD_OUT/" -H "Host: policed.bench"
    run base-policy "http://127.0.0.1:$BASE_OUT/" -H "Host: policed.bench"
    run meshd-again "http://127.0.0.1:$MESHD_OUT/" -H "Host: backend.bench"
    run baseline-again "http://127.0.0.1:$BASE_OUT/" -H "Host: backend.bench"
    run haproxy-again "http://127.0.0.1:$HAP_FRONT/"
    paths+=(baseline policy base-policy meshd-again baseline-again haproxy-again)
else
    run policy "http://127.0.0.1:$MESHD_OUT/" -H "Host: policed.bench"
    paths+=(policy)
fi

printf '\n%-13s %12s %10s %10s\n' path "requests/s" p50 p99
for name in "${paths[@]}"; do
    printf '%-13s %12s %10s %10s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
done
awk -v m="${RPS[meshd]}" -v h="${RPS[haproxy]}" 'BEGIN { printf "\nthroughput meshd / haproxy pair: %.2f\n", m / h }'
if [ -n "$BASELINE_MESHD" ]; then
    awk -v b="${RPS[baseline]}" -v b2="${RPS[baseline-again]}" -v h="${RPS[haproxy-again]}" \
        -v m="${RPS[meshd]}" -v m2="${RPS[meshd-again]}" -v p="${RPS[policy]}" -v bp="${RPS[base-policy]}" \
        'BEGIN { printf "throughput baseline meshd / haproxy pair (haproxy measured again after it): %.2f\n", b2 / h;
                 printf "this meshd / baseline meshd: %.2f (plain, both rounds), %.2f (every policy idle)\n", (m + m2) / (b + b2), p / bp }'
fi
awk -v p="${RPS[policy]}" -v m="${RPS[meshd]}" \
    'BEGIN { printf "throughput with every policy configured but idle / without: %.2f\n", p / m }'

# Added latency at a fixed moderate rate: 8 connections, each sending a request every 4 ms
# (wrk's delay() hook), about 1,800 requests/s whatever the path, far below any path's capacity.
cat > "$W/paced.lua" <<'LUA'
function delay()
    return 4
end
LUA
CONNECTIONS=8
run direct-paced "http://127.0.0.1:$NGINX_PORT/" -t1 -s "$W/paced.lua"
run haproxy-paced "http://127.0.0.1:$HAP_FRONT/" -t1 -s "$W/paced.lua"
run meshd-paced "http://127.0.0.1:$MESHD_OUT/" -t1 -s "$W/paced.lua" -H "Host: backend.bench"
printf '\nat a fixed moderate rate (8 connections, one request each per 4 ms):\n'
for name in direct haproxy meshd; do
    printf '  %-8s p50 %8s  p99 %8s  (%s req/s)\n' "$name" "${P50[$name-paced]}" "${P99[$name-paced]}" "${RPS[$name-paced]}"
done
to_us() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) print v + 0; else if (v ~ /ms$/) print v * 1000; else print v * 1000000 }'; }
awk -v m="$(to_us "${P99[meshd-paced]}")" -v h="$(to_us "${P99[haproxy-paced]}")" -v d="$(to_us "${P99[direct-paced]}")" \
    'BEGIN { printf "p99 added over direct: meshd %.0f us, haproxy pair %.0f us (ratio %.2f)\n", m - d, h - d, (m - d) / (h - d) }'

# Memory: idle and under load above, and idle with ten services.
{
    echo "mesh: {name: ten}"
    echo "services:"
    for i in $(seq 0 9); do echo "  - {name: svc$i, versions: [{name: v1, replicas: [{port: $((18200 + i))}]}]}"; done
} > "$W/ten.yaml"
"$MESHD" up --config "$W/ten.yaml" --state-dir "$W/ten" --admin 127.0.0.1:0 --outbound 127.0.0.1:0 --workers 2 > "$W/ten.log" 2>&1 & TEN=$!; pids+=($TEN)
wait_ready "$W/ten.log"
sleep 0.5
printf '\nmeshd RSS: idle %s KiB, under load %s KiB (1 service); idle with 10 services %s KiB\n' \
    "$MESHD_IDLE" "$MESHD_LOAD" "$(rss_kib $TEN)"
