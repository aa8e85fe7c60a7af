#!/usr/bin/env bash
# HTTP/2 benchmark, one run on loopback, same machine, same load generator (h2load):
#   direct    h2load -> nginx (h2c)
#   haproxy   h2load -> haproxy (h2c) -> h2 over mTLS (TLS 1.3, client certificates, ALPN h2)
#             -> haproxy -> nginx (h2c)
#   meshd     h2load -> meshd upstream port (h2c) -> h2 over mTLS (ALPN h2, identities checked)
#             -> meshd inbound -> nginx (h2c)
# Both proxied paths do the same two-hop job, stream by stream, with the same number of threads
# (meshd --workers 2, one haproxy thread per side). Prints requests/s for small responses at two
# concurrencies and bytes/s for 1 MiB ones, the ratios meshd/haproxy, latency percentiles and
# meshd's memory. Measures only: it never fails on numbers. Usage: bench/h2_bench.sh [requests]
# MESHD=<a meshd> measures that build instead of this tree's release meshd.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/data_plane_peers.sh

REQUESTS=${1:-100000}
NGINX_PORT=18490
HAP_FRONT=18491
HAP_BACK=18492
MESHD_UP=18493
ports_free $NGINX_PORT $HAP_FRONT $HAP_BACK $MESHD_UP
install_peers nghttp2-client
release_meshd
bench_scratch h2-bench

mkdir -p "$W/nginx/logs" "$W/www"
printf 'ok\n' >"$W/www/small"
head -c 1048576 /dev/urandom >"$W/www/big"
chmod a+rX "$W" "$W/www" "$W/www/small" "$W/www/big" # nginx's workers run as nobody
cat >"$W/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$NGINX_PORT http2; root $W/www; }
}
CONF
nginx -p "$W/nginx" -c "$W/nginx.conf" &
pids+=($!)

HAP_MODE=h2 start_haproxy_pair "$MESHD" $HAP_FRONT $HAP_BACK $NGINX_PORT

cat >"$W/mesh.yaml" <<CONF
mesh: {name: h2-bench}
services:
  - name: files
    namespace: bench
    versions: [{name: v1, replicas: [{port: $NGINX_PORT}]}]
upstreams: [{service: files.bench, port: $MESHD_UP}]
CONF
"$MESHD" up --config "$W/mesh.yaml" --state-dir "$W/state" --admin 127.0.0.1:0 \
    --outbound 127.0.0.1:0 --workers 2 >"$W/meshd.log" 2>&1 &
MESHD_PID=$!
pids+=($MESHD_PID)
wait_ready "$W/meshd.log"
port_of() { case $1 in direct) echo $NGINX_PORT ;; haproxy) echo $HAP_FRONT ;; meshd) echo $MESHD_UP ;; esac; }
paths=(direct haproxy meshd)
for path in "${paths[@]}"; do
    for try in $(seq 51); do
        curl -sf --http2-prior-knowledge "http://127.0.0.1:$(port_of "$path")/small" >/dev/null && break
        if [ "$try" = 51 ]; then echo "bench: $path does not answer /small" >&2; exit 1; fi
        sleep 0.1
    done
done

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
MESHD_IDLE=$(rss_kib $MESHD_PID)

# One h2load run: "req/s p50_ms p99_ms failed", from its summary.
h2run() { # path file requests clients streams
    h2load -n "$3" -c "$4" -m "$5" "http://127.0.0.1:$(port_of "$1")/$2" 2>/dev/null | awk '
        /^finished in/ { rps = $4 }
        /^requests:/ { failed = $10 + $12 }
        /^time for request:/ { mean = $6 }
        END { printf "%s %s %s\n", rps, mean, failed }'
}

declare -A SMALL MANY BIG
echo "HTTP/2 benchmark: h2load -n $REQUESTS, nginx $(nginx -v 2>&1 | sed 's/.*\///') h2c (2 cores, loopback)"
for path in "${paths[@]}"; do h2run "$path" small 5000 4 16 >/dev/null; done # warm-up
( sleep 2; rss_kib $MESHD_PID > "$W/rss-load" ) & SAMPLER=$!
for path in "${paths[@]}"; do SMALL[$path]=$(h2run "$path" small "$REQUESTS" 4 16); done
wait $SAMPLER
MESHD_LOAD=$(cat "$W/rss-load")
for path in "${paths[@]}"; do MANY[$path]=$(h2run "$path" small "$REQUESTS" 16 64); done
for path in "${paths[@]}"; do BIG[$path]=$(h2run "$path" big $((REQUESTS / 50)) 4 4); done

printf '\n%-8s %22s %22s %22s\n' path "req/s (c4 m16)" "req/s (c16 m64)" "1 MiB MB/s (c4 m4)"
for path in "${paths[@]}"; do
    read -r s sm sf <<<"${SMALL[$path]}"
    read -r m mm mf <<<"${MANY[$path]}"
    read -r b bm bf <<<"${BIG[$path]}"
    printf '%-8s %22s %22s %22s\n' "$path" "$s (mean ${sm}, ${sf} failed)" "$m (${mf} failed)" \
        "$(awk -v r="$b" 'BEGIN { printf "%.0f", r * 1.048576 }') (${bf} failed)"
done
read -r ms _ _ <<<"${SMALL[meshd]}"; read -r hs _ _ <<<"${SMALL[haproxy]}"
read -r mm _ _ <<<"${MANY[meshd]}"; read -r hm _ _ <<<"${MANY[haproxy]}"
read -r mb _ _ <<<"${BIG[meshd]}"; read -r hb _ _ <<<"${BIG[haproxy]}"
awk -v ms="$ms" -v hs="$hs" -v mm="$mm" -v hm="$hm" -v mb="$mb" -v hb="$hb" \
    'BEGIN { printf "\nmeshd / haproxy pair: %.2f (c4 m16), %.2f (c16 m64), %.2f (1 MiB bytes/s)\n", ms / hs, mm / hm, mb / hb }'
printf 'meshd RSS: idle %s KiB, under load %s KiB\n' "$MESHD_IDLE" "$MESHD_LOAD"
