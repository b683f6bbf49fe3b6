#!/usr/bin/env bash
# Starts the nginx instances spec/20-openresty_spec.lua talks to, both pointed at the fake
# Graph server (start that first): the spec's own, from nginx.conf.in here, on
# $OPENRESTY_PORT (8090), and examples/openresty/nginx.conf (through its run.sh) on
# $OPENRESTY_EXAMPLE_PORT (8091). They run from build/openresty/{spec,example}; stop.sh
# stops them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
RUN=$REPO/build/openresty
mkdir -p "${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}"
FAKE_DIR=$(cd "${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}" && pwd -P)
FAKE_PORT=${FAKE_GRAPH_PORT:-8089}
FAKE_TLS_PORT=${FAKE_GRAPH_TLS_PORT:-8443}
PORT=${OPENRESTY_PORT:-8090}
EXAMPLE_PORT=${OPENRESTY_EXAMPLE_PORT:-8091}

fail() { echo "openresty spec: $*" >&2; exit 1; }

. "$HERE/../nginx_common.sh"
nginx_settings
[ -n "$cjson_dir" ] || fail "lua-cjson for Lua 5.1 not found"

spec_conf() {
    local conf
    conf=$(<"$HERE/nginx.conf.in")
    conf=${conf//@USER_DIRECTIVE@/"$user_directive"}
    conf=${conf//@RUN_DIR@/"$RUN/spec"}
    conf=${conf//@REPO@/"$REPO"}
    conf=${conf//@CJSON_DIR@/"$cjson_dir"}
    conf=${conf//@PORT@/"$PORT"}
    conf=${conf//@FAKE_PORT@/"$FAKE_PORT"}
    conf=${conf//@FAKE_TLS_PORT@/"$FAKE_TLS_PORT"}
    conf=${conf//@FAKE_DIR@/"$FAKE_DIR"}
    printf '%s\n' "$conf" > "$RUN/spec/nginx.conf"
}

answers() { # port
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"
}

start() { # name, port, env...
    local name=$1 port=$2; shift 2
    : > "$RUN/$name/error.log"
    env "$@" nginx -q -p "$REPO/" -c "$RUN/$name/nginx.conf" -e "$RUN/$name/error.log" \
        || fail "nginx ($name) did not start"
    for _ in $(seq 50); do
        if answers "$port"; then return 0; fi
        sleep 0.1
    done
    cat "$RUN/$name/error.log" >&2
    fail "nginx ($name) does not answer on port $port"
}

"$HERE/stop.sh"
mkdir -p "$RUN/spec/tmp"
spec_conf
start spec "$PORT" FAKE_GRAPH_PORT="$FAKE_PORT" FAKE_GRAPH_TLS_PORT="$FAKE_TLS_PORT" \
    FAKE_GRAPH_DIR="$FAKE_DIR"
# The example, as a user starts it, against the fake server.
GRAPH_BASE_URL="https://localhost:$FAKE_TLS_PORT" GRAPH_CA_FILE="$FAKE_DIR/certs/ca.pem" \
    OPENRESTY_EXAMPLE_PORT="$EXAMPLE_PORT" OPENRESTY_EXAMPLE_DIR="$RUN/example" \
    "$REPO/examples/openresty/run.sh" start >/dev/null
