#!/usr/bin/env bash
# Starts the nginx instances spec/20-openresty_spec.lua talks to, both pointed at the fake
# Graph server (start that first): the spec's own, from nginx.conf.in here, on
# $OPENRESTY_PORT (8090), and examples/openresty/nginx.conf on $OPENRESTY_EXAMPLE_PORT
# (8091). They run from build/openresty/{spec,example}; stop.sh stops them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
RUN=$REPO/build/openresty
mkdir -p "${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}"
FAKE_DIR=$(cd "${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}" && pwd -P)
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
    conf=${conf//@FAKE_TLS_PORT@/"$FAKE_TLS_PORT"}
    conf=${conf//@FAKE_DIR@/"$FAKE_DIR"}
    printf '%s\n' "$conf" > "$RUN/spec/nginx.conf"
}

# The example as shipped, but for its ports and where its files are: each replaced text
# must be there, so an edit of the example cannot silently bypass the spec.
example_conf() {
    local conf from to
    conf=$(<"$REPO/examples/openresty/nginx.conf")
    set -- "listen 127.0.0.1:8091;" "listen 127.0.0.1:$EXAMPLE_PORT;" \
        "server 127.0.0.1:8443;" "server 127.0.0.1:$FAKE_TLS_PORT;" \
        "include whatsapp_graph.conf;" "include $REPO/examples/openresty/whatsapp_graph.conf;" \
        "../../build/fake-graph/certs/ca.pem" "$FAKE_DIR/certs/ca.pem" \
        "build/openresty-example/" "build/openresty/example/"
    while [ $# -gt 0 ]; do
        from=$1 to=$2; shift 2
        [[ $conf == *"$from"* ]] || fail "examples/openresty/nginx.conf has no '$from'"
        conf=${conf//"$from"/"$to"}
    done
    # Workers run as nobody unless told otherwise, and may not read a private checkout.
    printf '%s\n%s\n' "$user_directive" "$conf" > "$RUN/example/nginx.conf"
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
mkdir -p "$RUN/spec/tmp" "$RUN/example"
spec_conf
example_conf
start spec "$PORT" FAKE_GRAPH_TLS_PORT="$FAKE_TLS_PORT" FAKE_GRAPH_DIR="$FAKE_DIR"
start example "$EXAMPLE_PORT" WHATSAPP_TOKEN=test-token WHATSAPP_PHONE_NUMBER_ID=106540352242922 \
    WHATSAPP_BASE_URL="https://localhost:$FAKE_TLS_PORT" \
    WHATSAPP_APP_SECRET="${FAKE_GRAPH_APP_SECRET:-test-app-secret}" WHATSAPP_VERIFY_TOKEN=verify-me
