#!/usr/bin/env bash
# What it measures: requests/s of an nginx location (2 workers) that calls create for
# each request, with the non-blocking nginx transport (subrequests) and with the blocking
# one (libcurl, which stalls the worker), the fake Graph server answering every create
# after DELAY seconds. wrk drives it with CONNECTIONS connections for SECONDS.
# When this tree has no nginx transport, prints why and measures nothing.
# Environment: FAKE_GRAPH_DIR, FAKE_GRAPH_PORT, FAKE_GRAPH_TLS_PORT (a running fake),
# BENCH_NGINX_PORT (18190), BENCH_BUILD (build/bench: the luajit module is under it).
# Usage: bench/nginx.sh DELAY CONNECTIONS SECONDS
# Prints `transport<TAB>req/s<TAB>p50 ms<TAB>p99 ms<TAB>failed` lines, or `stub<TAB>reason`.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/.." && pwd -P)
DELAY=${1:?usage: nginx.sh DELAY CONNECTIONS SECONDS}
CONNECTIONS=${2:?}
SECONDS_RUN=${3:?}
PORT=${BENCH_NGINX_PORT:-18190}
BUILD=$REPO/${BENCH_BUILD:-build/bench}
RUN=$BUILD/nginx
FAKE_DIR=$(cd "${FAKE_GRAPH_DIR:?}" && pwd -P)
FAKE_PORT=${FAKE_GRAPH_PORT:?}
FAKE_TLS_PORT=${FAKE_GRAPH_TLS_PORT:?}
CONTROL=http://127.0.0.1:$FAKE_PORT/__control

stub() { printf 'stub\tnot measured: %s\n' "$*"; exit 0; }

command -v wrk >/dev/null || stub "wrk is not installed (apt-get install wrk)"
[ -f "$BUILD/luajit/whatsapp/groups/core.so" ] || stub "the module for LuaJIT is not built"

. "$REPO/spec/nginx_common.sh"
nginx_settings
[ -n "$cjson_dir" ] || stub "lua-cjson for Lua 5.1 (LuaJIT) not found"

mkdir -p "$RUN/tmp"
conf=$(<"$HERE/nginx/nginx.conf.in")
conf=${conf//@USER_DIRECTIVE@/"$user_directive"}
conf=${conf//@RUN_DIR@/"$RUN"}
conf=${conf//@REPO@/"$REPO"}
conf=${conf//@MODULE_DIR@/"$BUILD/luajit"}
conf=${conf//@CJSON_DIR@/"$cjson_dir"}
conf=${conf//@PORT@/"$PORT"}
conf=${conf//@FAKE_TLS_PORT@/"$FAKE_TLS_PORT"}
conf=${conf//@FAKE_DIR@/"$FAKE_DIR"}
printf '%s\n' "$conf" > "$RUN/nginx.conf"

stop() {
    nginx_stop "$RUN/nginx.pid" "$RUN/nginx.conf" || true # a stuck nginx must not fail the bench
}
stop
trap stop EXIT
: > "$RUN/error.log"
nginx -q -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/error.log" || stub "nginx did not start: $(tail -n 3 "$RUN/error.log")"
for _ in $(seq 50); do
    curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/ready" && break
    sleep 0.1
done

control() { # path [json]
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data "${2:-}" "$CONTROL/$1"
}

slow_creates() {
    control reset
    control faults "{\"match\":{\"method\":\"POST\",\"path\":\"/groups\$\"},\"count\":1000000,\"fault\":{\"delay\":$DELAY}}"
}

# "21.50ms", "1.20s", "900.00us" -> milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
        printf "%.1f", n }'
}

for transport in nginx blocking; do
    slow_creates
    answer=$(curl -s --max-time 10 -w ' HTTP %{http_code}' "http://127.0.0.1:$PORT/create?transport=$transport")
    if [[ $answer != *"HTTP 200" ]]; then
        printf 'stub\tnot measured: transport %s answers: %s\n' "$transport" "${answer:0:200}"
        continue
    fi
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --timeout 10s --latency \
        "http://127.0.0.1:$PORT/create?transport=$transport")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
    sockerr=$(awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }' <<<"$out")
    printf '%s\t%s\t%s\t%s\t%d\n' "$transport" "$rps" "$p50" "$p99" $(( ${non2xx:-0} + ${sockerr:-0} ))
done
control reset
