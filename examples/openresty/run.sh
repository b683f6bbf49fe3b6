#!/usr/bin/env bash
# Starts or stops examples/openresty/nginx.conf as shipped (4 workers, the shared dict), but
# for where it listens, the Graph API it talks to and where its files go:
#
#   examples/openresty/run.sh start|stop
#
# Environment: GRAPH_BASE_URL (http(s)://host[:port] of the Graph API, default the fake
# server's https://localhost:$FAKE_GRAPH_TLS_PORT), GRAPH_CA_FILE (the CAs to trust: the
# fake's test CA for a localhost URL, else /etc/ssl/certs/ca-certificates.crt),
# OPENRESTY_EXAMPLE_PORT (8091), OPENRESTY_EXAMPLE_DIR (its pid, logs and temp files,
# default build/openresty-example), and WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID,
# WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN (the fake server's values by default).
# Build the module for LuaJIT first (make LUA=luajit); `make openresty-example` does.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
. "$REPO/spec/nginx_common.sh"

fail() { echo "openresty example: $*" >&2; exit 1; }

PORT=${OPENRESTY_EXAMPLE_PORT:-8091}
DIR=${OPENRESTY_EXAMPLE_DIR:-build/openresty-example}
case $DIR in /*) ;; *) DIR=$REPO/$DIR ;; esac
BASE_URL=${GRAPH_BASE_URL:-https://localhost:${FAKE_GRAPH_TLS_PORT:-8443}}
[[ $BASE_URL =~ ^(https?)://([^/:]+)(:([0-9]+))?/?$ ]] \
    || fail "GRAPH_BASE_URL must be https://host[:port] (or http:// for a local server)"
HOST=${BASH_REMATCH[2]}
# The location sends base_url's scheme ($wa_scheme): the upstream's port must serve it.
if [ "${BASH_REMATCH[1]}" = https ]; then DEFAULT_PORT=443; else DEFAULT_PORT=80; fi
UPSTREAM_PORT=${BASH_REMATCH[4]:-$DEFAULT_PORT}
# The upstream connects to an address; the certificate is checked against $HOST anyway.
UPSTREAM_HOST=$HOST
[ "$HOST" != localhost ] || UPSTREAM_HOST=127.0.0.1
if [ -z "${GRAPH_CA_FILE:-}" ]; then
    if [ "$HOST" = localhost ] || [ "$HOST" = 127.0.0.1 ]; then
        GRAPH_CA_FILE=${FAKE_GRAPH_DIR:-$REPO/build/fake-graph}/certs/ca.pem
    else
        GRAPH_CA_FILE=/etc/ssl/certs/ca-certificates.crt
    fi
fi

# The shipped file with each replaced text required, so an edit of the example cannot
# silently escape what this script (and the spec running it) expects.
write_conf() {
    local conf from to
    conf=$(<"$HERE/nginx.conf")
    set -- "listen 127.0.0.1:8091;" "listen 127.0.0.1:$PORT;" \
        "server 127.0.0.1:8443;" "server $UPSTREAM_HOST:$UPSTREAM_PORT;" \
        "include whatsapp_graph.conf;" "include $HERE/whatsapp_graph.conf;" \
        "../../build/fake-graph/certs/ca.pem" "$GRAPH_CA_FILE" \
        "build/openresty-example/" "$DIR/"
    while [ $# -gt 0 ]; do
        from=$1 to=$2; shift 2
        [[ $conf == *"$from"* ]] || fail "examples/openresty/nginx.conf has no '$from'"
        conf=${conf//"$from"/"$to"}
    done
    # Workers run as nobody unless told otherwise, and may not read a private checkout.
    printf '%s\n%s\n' "$user_directive" "$conf" > "$DIR/nginx.conf"
}

stop() {
    nginx_stop "$DIR/nginx.pid" "$DIR/nginx.conf"
}

start() {
    stop
    mkdir -p "$DIR"
    nginx_settings
    write_conf
    : > "$DIR/error.log"
    env WHATSAPP_TOKEN="${WHATSAPP_TOKEN:-test-token}" \
        WHATSAPP_PHONE_NUMBER_ID="${WHATSAPP_PHONE_NUMBER_ID:-106540352242922}" \
        WHATSAPP_BASE_URL="$BASE_URL" \
        WHATSAPP_APP_SECRET="${WHATSAPP_APP_SECRET:-${FAKE_GRAPH_APP_SECRET:-test-app-secret}}" \
        WHATSAPP_VERIFY_TOKEN="${WHATSAPP_VERIFY_TOKEN:-verify-me}" \
        nginx -q -p "$REPO/" -c "$DIR/nginx.conf" -e "$DIR/error.log" || fail "nginx did not start"
    for _ in $(seq 50); do
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; then
            echo "openresty example: http://127.0.0.1:$PORT (Graph: $BASE_URL; logs: $DIR)"
            return 0
        fi
        sleep 0.1
    done
    cat "$DIR/error.log" >&2
    stop || true
    fail "no answer on port $PORT"
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    *) fail "usage: $0 start|stop" ;;
esac
