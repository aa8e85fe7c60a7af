# Sourced by the data-plane benchmarks: the backend (nginx), the haproxy pair doing meshd's job,
# and the mesh.yaml meshd runs with. Each function appends the processes it starts to `pids`;
# the caller kills them. $W is the caller's scratch directory.

# The release meshd of this tree, built if needed; MESHD=<a meshd> measures that one instead.
release_meshd() {
    if [ -z "${MESHD:-}" ]; then
        cmake --preset release >/dev/null
        cmake --build --preset release --target meshd >/dev/null
        MESHD=$PWD/build/release/bin/meshd
    fi
}

# A scratch directory $W, and `pids`, killed (with $W removed) when the script exits.
bench_scratch() { # name
    W=$(mktemp -d "/tmp/meshscope-$1.XXXXXX")
    pids=()
    trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"' EXIT
}

# Fails, naming it, when one of the loopback ports is taken.
ports_free() { # port...
    for port in "$@"; do
        if ss -ltn "sport = :$port" | grep -q LISTEN; then echo "bench: port $port is in use" >&2; return 1; fi
    done
}

# nginx answering "ok" on every port given, one worker.
start_nginx() { # port...
    mkdir -p "$W/nginx/logs"
    local listens=""
    for port in "$@"; do listens+="listen 127.0.0.1:$port; "; done
    cat >"$W/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server { $listens location / { return 200 "ok\n"; } }
}
CONF
    nginx -p "$W/nginx" -c "$W/nginx.conf" &
    pids+=($!)
}

# Two haproxy processes, the same two-hop job as meshd: plain in on `front`, mTLS (TLS 1.3,
# client certificates from the mesh CA, verified both ways) to `back`, plain to the app on
# `app_port`. HAP_MODE says what they carry: http (HTTP/1.1, the default), h2 (h2c in, h2 over
# the mTLS hop with ALPN, h2c to the app) or tcp (opaque). Any further arguments are a command to
# run each haproxy under (valgrind, say).
start_haproxy_pair() { # meshd front back app_port [wrapper...]
    local meshd=$1 front=$2 back=$3 app_port=$4
    shift 4
    local mode=${HAP_MODE:-http} haproxy_mode=http h2_front="" h2_hop="" h2_app=""
    local http_options="    option http-keep-alive" reuse="    http-reuse always"
    case $mode in
        tcp) haproxy_mode=tcp http_options="" reuse="" ;;
        h2) h2_front=" proto h2" h2_hop=" alpn h2" h2_app=" proto h2" ;;
    esac
    "$meshd" ca init --state-dir "$W/ca" >/dev/null
    "$meshd" ca issue --state-dir "$W/ca" --identity spiffe://mesh.local/ns/bench/sa/client --out "$W/client" >/dev/null
    "$meshd" ca issue --state-dir "$W/ca" --identity spiffe://mesh.local/ns/bench/sa/backend --out "$W/server" >/dev/null
    cat "$W/client/tls.crt" "$W/client/tls.key" >"$W/client.pem"
    cat "$W/server/tls.crt" "$W/server/tls.key" >"$W/server.pem"
    local common="global
    nbthread 1
    maxconn 4096
    ssl-default-bind-options ssl-min-ver TLSv1.3
    ssl-default-server-options ssl-min-ver TLSv1.3
defaults
    mode $haproxy_mode
$http_options
    timeout connect 5s
    timeout client 30s
    timeout server 30s"
    cat >"$W/hap-out.cfg" <<CONF
$common
frontend outbound
    bind 127.0.0.1:$front$h2_front
    default_backend inbound
backend inbound
$reuse
    server in 127.0.0.1:$back ssl crt $W/client.pem ca-file $W/client/ca.crt verify required$h2_hop
CONF
    cat >"$W/hap-in.cfg" <<CONF
$common
frontend inbound
    bind 127.0.0.1:$back ssl crt $W/server.pem ca-file $W/server/ca.crt verify required$h2_hop
    default_backend app
backend app
$reuse
    server app 127.0.0.1:$app_port$h2_app
CONF
    "$@" haproxy -f "$W/hap-out.cfg" 2>"$W/hap-out.log" &
    pids+=($!)
    "$@" haproxy -f "$W/hap-in.cfg" 2>"$W/hap-in.log" &
    pids+=($!)
}

# meshd's config: the backend as a mesh service, and as a second service with every traffic
# policy configured but idle (nothing fails, nothing is injected).
write_mesh_yaml() { # file backend_port policed_port
    cat >"$1" <<CONF
mesh: {name: bench}
services:
  - name: backend
    namespace: bench
    versions: [{name: v1, replicas: [{port: $2}]}]
  - name: policed
    namespace: bench
    versions: [{name: v1, replicas: [{port: $3}]}]
    split: [{version: v1, weight: 100}]
    timeout: 10s
    retries: {limit: 1, on: [5xx, connect-failure]}
    faults: {abort: {percent: 0}, delay: {percent: 0, duration: 1s}}
    routes: [{name: root, path_prefix: /, timeout: 5s}]
CONF
}

# Waits up to 5 s (or `tries` tenths) for "meshd: ready" in a meshd's log.
wait_ready() { # log [tries]
    for _ in $(seq "${2:-50}"); do grep -q "meshd: ready" "$1" && return 0; sleep 0.1; done
    echo "bench: meshd did not get ready ($1):" >&2
    tail -5 "$1" >&2
    return 1
}

# Installs the benchmark peers (haproxy, nginx, wrk) when they are missing.
install_peers() {
    local missing=()
    for p in haproxy nginx-light wrk "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo_cmd=()
        [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}
