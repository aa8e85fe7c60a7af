#!/usr/bin/env bash
# Instructions per request on the data plane, counted by callgrind: repeatable whatever else the
# machine does, where requests/s on two shared cores vary by about 15 % from run to run.
#   meshd     client -> meshd outbound -> mTLS -> meshd inbound -> nginx   (meshd under callgrind)
#   policy    the same through a service with every policy configured but idle
#   haproxy   client -> haproxy -> mTLS -> haproxy -> nginx                  (both under callgrind)
# Each proxy is warmed up first (handshakes, pools), then counted over REQUESTS requests on 4
# keep-alive connections; every answer must be a 200. What a proxy does on its own meanwhile
# (timers) is counted over an idle spell as long and taken off. Measures only: never fails.
# Usage: bench/data_plane_instructions.sh [requests]
# With BASELINE_MESHD=/path/to/an/older/meshd, that meshd is counted too (the before/after figure).
# MESHD=/path/to/a/meshd counts that build instead of building this tree's release meshd.
set -euo pipefail
shopt -s inherit_errexit # a failed request inside $(count_requests) stops the run
cd "$(dirname "$0")/.."
REQUESTS=${1:-2000}

source bench/data_plane_peers.sh
bash scripts/install-deps.sh
install_peers valgrind
release_meshd
BASELINE_MESHD=${BASELINE_MESHD:-}

bench_scratch instr

NGINX_PORT=18080 NGINX_PORT2=18082 HAP_FRONT=18081 HAP_BACK=18443 MESHD_ADMIN=18191 MESHD_OUT=18140
ports_free $NGINX_PORT $NGINX_PORT2 $HAP_FRONT $HAP_BACK $MESHD_ADMIN $MESHD_OUT
callgrind=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$W/cg.%p")

# The client: `count` GETs over 4 keep-alive connections, round robin; fails unless all are 200.
cat >"$W/client.py" <<'PY'
import http.client, sys
port, host, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(4)]
for i in range(count):
    c = conns[i % 4]
    c.request("GET", "/", headers={"Host": host})
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"request {i}: status {r.status}")
PY
client() { python3 "$W/client.py" "$@"; }

# Instructions executed during `REQUESTS` requests, summed over the given callgrind processes.
# Instrumentation goes on once and stays on (switching it off and on again upsets callgrind's
# totals); a dump just before the requests zeroes the counts, the one after is read.
dump() { # pid: the file of a fresh dump
    callgrind_control -d "$1" >/dev/null 2>&1 || return 1
    ls -t "$W"/cg."$1".* | head -1
}
count_requests() { # port host pid...
    local port=$1 host=$2
    shift 2
    client "$port" "$host" 200 || return 1 # warm-up, not counted
    for pid in "$@"; do
        callgrind_control -i on "$pid" >/dev/null 2>&1
        rm -f "$(dump "$pid")"
    done
    local start end
    start=$(date +%s.%N)
    client "$port" "$host" "$REQUESTS" || return 1
    end=$(date +%s.%N)
    local total=0 file
    for pid in "$@"; do
        file=$(dump "$pid")
        total=$((total + $(awk '/^totals:/ {print $2; exit}' "$file")))
        keep "$file" "$host-$pid"
    done
    # What the proxies do meanwhile on their own (timers, samplers) is counted over as long again
    # with no requests, and taken off.
    sleep "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
    for pid in "$@"; do
        file=$(dump "$pid")
        total=$((total - $(awk '/^totals:/ {print $2; exit}' "$file")))
        rm -f "$file"
    done
    echo $((total / REQUESTS))
}
# KEEP_DUMPS=<dir> keeps each counted dump there, for callgrind_annotate.
keep() { # file name
    if [ -n "${KEEP_DUMPS:-}" ]; then
        mkdir -p "$KEEP_DUMPS"
        mv "$1" "$KEEP_DUMPS/$2.callgrind"
    else
        rm -f "$1"
    fi
}

start_nginx $NGINX_PORT $NGINX_PORT2
write_mesh_yaml "$W/mesh.yaml" $NGINX_PORT $NGINX_PORT2
declare -A PER
measure_meshd() { # name binary
    local name=$1 binary=$2
    "${callgrind[@]}" "$binary" up --config "$W/mesh.yaml" --state-dir "$W/$name" \
        --admin 127.0.0.1:$MESHD_ADMIN --outbound 127.0.0.1:$MESHD_OUT --workers 2 \
        >"$W/$name.log" 2>&1 &
    local pid=$!
    pids+=($pid)
    wait_ready "$W/$name.log" 1200
    PER[$name]=$(count_requests $MESHD_OUT backend.bench $pid)
    PER[$name-policy]=$(count_requests $MESHD_OUT policed.bench $pid)
    kill $pid
    wait $pid 2>/dev/null || true
}

echo "Instructions per request (callgrind), $REQUESTS GETs on 4 keep-alive connections, -> nginx \"ok\""
measure_meshd meshd "$MESHD"
[ -n "$BASELINE_MESHD" ] && measure_meshd baseline "$BASELINE_MESHD"
start_haproxy_pair "$MESHD" $HAP_FRONT $HAP_BACK $NGINX_PORT "${callgrind[@]}"
hap_in=${pids[-1]} hap_out=${pids[-2]}
for _ in $(seq 600); do ss -ltn "sport = :$HAP_FRONT" | grep -q LISTEN && break; sleep 0.1; done
for _ in $(seq 600); do ss -ltn "sport = :$HAP_BACK" | grep -q LISTEN && break; sleep 0.1; done
PER[haproxy]=$(count_requests $HAP_FRONT backend.bench "$hap_out" "$hap_in")

printf '\n%-16s %14s\n' path instructions
for name in haproxy meshd meshd-policy baseline baseline-policy; do
    [ -n "${PER[$name]:-}" ] && printf '%-16s %14s\n' "$name" "${PER[$name]}"
done
awk -v m="${PER[meshd]}" -v h="${PER[haproxy]}" \
    'BEGIN { printf "\ninstructions meshd / haproxy pair: %.2f (lower is better)\n", m / h }'
if [ -n "$BASELINE_MESHD" ]; then
    awk -v m="${PER[meshd]}" -v b="${PER[baseline]}" -v p="${PER[meshd-policy]}" -v bp="${PER[baseline-policy]}" \
        -v h="${PER[haproxy]}" 'BEGIN { printf "instructions baseline meshd / haproxy pair: %.2f\n", b / h;
        printf "this meshd / baseline meshd: %.3f (plain), %.3f (every policy idle)\n", m / b, p / bp }'
fi
