#!/usr/bin/env bash
# Starts the fake Graph server in the background, with fresh state (an instance already running
# from the same run dir is stopped first).
# Environment: FAKE_GRAPH_DIR (run dir, default <repo>/build/fake-graph), FAKE_GRAPH_PORT (8089),
# FAKE_GRAPH_TLS_PORT (8443), FAKE_GRAPH_TOKEN (the accepted bearer token, default test-token),
# FAKE_GRAPH_APP_SECRET (the key of webhook signatures, default test-app-secret).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/run-dir.sh"
. "$HERE/../nginx_common.sh"

mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd -P)
export FAKE_GRAPH_DIR=$RUN_DIR # for stop.sh, whatever the caller's cwd
PORT=${FAKE_GRAPH_PORT:-8089}
TLS_PORT=${FAKE_GRAPH_TLS_PORT:-8443}

fail() { echo "fake Graph server: $*" >&2; exit 1; }

[[ $PORT =~ ^[0-9]+$ && $TLS_PORT =~ ^[0-9]+$ ]] || fail "ports must be numbers"

nginx_settings
[ -n "$cjson_dir" ] || fail "lua-cjson for Lua 5.1 not found (Debian: apt-get install lua-cjson)"

write_conf() {
    local conf
    conf=$(<"$HERE/nginx.conf.in")
    conf=${conf//@USER_DIRECTIVE@/"$user_directive"}
    conf=${conf//@RUN_DIR@/"$RUN_DIR"}
    conf=${conf//@LUA_DIR@/"$HERE/lua"}
    conf=${conf//@CJSON_DIR@/"$cjson_dir"}
    conf=${conf//@PORT@/"$PORT"}
    conf=${conf//@TLS_PORT@/"$TLS_PORT"}
    printf '%s\n' "$conf" > "$RUN_DIR/nginx.conf"
}

answers() {
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/__control/requests"
}

"$HERE/stop.sh"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
"$HERE/gen-certs.sh" "$RUN_DIR/certs"
write_conf
# Fresh logs too, so a run's errors are easy to find.
: > "$RUN_DIR/logs/error.log"
: > "$RUN_DIR/logs/graph-access.log"

# nginx reports its own startup errors on stderr.
nginx -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/logs/error.log" || fail "nginx did not start"
for _ in $(seq 50); do
    if answers; then
        echo "fake Graph server: http://127.0.0.1:$PORT https://localhost:$TLS_PORT (CA: $RUN_DIR/certs/ca.pem)"
        exit 0
    fi
    sleep 0.1
done
cat "$RUN_DIR/logs/error.log" >&2
"$HERE/stop.sh" || true
fail "no answer on http://127.0.0.1:$PORT within 5 s"
